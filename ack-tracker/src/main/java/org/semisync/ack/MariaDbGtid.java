package org.semisync.ack;

/** A MariaDB GTID {@code domain-server-seq}: domain and server ids are unsigned 32-bit, seq unsigned 64-bit. */
public record MariaDbGtid(long domainId, long serverId, long sequence) implements Gtid {
    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    public MariaDbGtid {
        if (domainId < 0 || domainId > UINT32_MAX || serverId < 0 || serverId > UINT32_MAX) {
            throw new IllegalArgumentException(
                    "domain and server id must be 0.." + UINT32_MAX + ": " + domainId + "-" + serverId);
        }
    }

    /**
     * Parses {@code domain-server-seq}.
     *
     * @throws IllegalArgumentException naming the text when malformed
     */
    public static MariaDbGtid parse(final String text) {
        if (text == null) {
            throw new IllegalArgumentException("expected a MariaDB GTID domain-server-seq, got null");
        }
        // one per commit on the event loop and one per transaction in the tail: no split, no substrings
        final String t = text.trim();
        final int first = t.indexOf('-');
        final int second = first < 0 ? -1 : t.indexOf('-', first + 1);
        if (second < 0 || t.indexOf('-', second + 1) >= 0) {
            throw new IllegalArgumentException("expected a MariaDB GTID domain-server-seq, got '" + text + "'");
        }
        try {
            return new MariaDbGtid(
                    Long.parseLong(t, 0, first, 10),
                    Long.parseLong(t, first + 1, second, 10),
                    Long.parseUnsignedLong(t, second + 1, t.length(), 10));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a MariaDB GTID domain-server-seq, got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return domainId + "-" + serverId + "-" + Long.toUnsignedString(sequence);
    }
}
