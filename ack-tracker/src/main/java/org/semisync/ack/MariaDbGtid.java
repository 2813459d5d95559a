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
        final String[] parts = text.trim().split("-", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected a MariaDB GTID domain-server-seq, got '" + text + "'");
        }
        try {
            return new MariaDbGtid(
                    Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseUnsignedLong(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a MariaDB GTID domain-server-seq, got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return domainId + "-" + serverId + "-" + Long.toUnsignedString(sequence);
    }
}
