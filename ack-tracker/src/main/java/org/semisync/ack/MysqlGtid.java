package org.semisync.ack;

import java.util.Locale;
import java.util.UUID;

/** A MySQL GTID {@code source_uuid:transaction_number} (transaction numbers start at 1). */
public record MysqlGtid(UUID sourceId, long transaction) implements Gtid {
    public MysqlGtid {
        if (sourceId == null) {
            throw new IllegalArgumentException("MySQL GTID needs a source UUID");
        }
        if (transaction < 1) {
            throw new IllegalArgumentException("MySQL GTID transaction number must be >= 1, got " + transaction);
        }
    }

    /**
     * Parses {@code uuid:n}.
     *
     * @throws IllegalArgumentException naming the text when malformed
     */
    public static MysqlGtid parse(final String text) {
        final int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
            throw new IllegalArgumentException("expected a MySQL GTID uuid:n, got '" + text + "'");
        }
        try {
            return new MysqlGtid(
                    MysqlGtidSet.parseUuid(text.substring(0, colon).trim()),
                    Long.parseLong(text.substring(colon + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a MySQL GTID uuid:n, got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return sourceId.toString().toLowerCase(Locale.ROOT) + ":" + transaction;
    }
}
