package org.semisync.ack;

/**
 * A global transaction id, as reported in a commit's OK packet and by the binlog tail: MariaDB's
 * {@code domain-server-seq} or MySQL's {@code uuid:n}. Only used as a key: the tracker waits for the binlog position
 * the tail reports for it.
 */
public sealed interface Gtid permits MariaDbGtid, MysqlGtid {
    /**
     * Parses either form: {@code 0-1-42} (MariaDB) or {@code 3E11FA47-71CA-11E1-9E33-C80AA9429562:23} (MySQL).
     *
     * @throws IllegalArgumentException naming the text when it is neither
     */
    static Gtid parse(final String text) {
        if (text != null && text.indexOf(':') >= 0) {
            return MysqlGtid.parse(text);
        }
        return MariaDbGtid.parse(text);
    }
}
