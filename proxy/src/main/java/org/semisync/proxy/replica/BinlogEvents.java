package org.semisync.proxy.replica;

/** Binlog event type codes and header layout used by the dump relay. */
final class BinlogEvents {
    static final int HEADER_SIZE = 19;
    static final int TYPE_OFFSET = 4;
    static final int SERVER_ID_OFFSET = 5;
    static final int EVENT_SIZE_OFFSET = 9;
    static final int LOG_POS_OFFSET = 13;
    static final int FLAGS_OFFSET = 17;

    static final int QUERY = 2;
    static final int ROTATE = 4;
    static final int FORMAT_DESCRIPTION = 15;
    static final int XID = 16;
    static final int HEARTBEAT = 27;
    /** Ends the prepared part of an XA transaction (MariaDB 10.5+ and MySQL binlog XA PREPARE separately). */
    static final int XA_PREPARE = 38;

    static final int MARIADB_GTID = 162;
    static final int MYSQL_GTID = 33;
    static final int MYSQL_ANONYMOUS_GTID = 34;

    /** Synthesised by the server for the dump (fake Rotate, fake GTID list): does not move the position. */
    static final int LOG_EVENT_ARTIFICIAL_F = 0x20;

    /** MariaDB GTID flags2: the group is one statement (DDL) without BEGIN/COMMIT. */
    static final int FL_STANDALONE = 0x01;

    static final int CHECKSUM_CRC32 = 1;
    static final int CRC_SIZE = 4;

    private BinlogEvents() {}
}
