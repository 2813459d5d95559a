package org.semisync.ack;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A MariaDB GTID position ({@code gtid_slave_pos}, {@code @slave_connect_state}): at most one GTID per replication
 * domain, e.g. {@code 0-1-100,1-2-7}.
 */
public final class MariaDbGtidList {
    private final Map<Long, MariaDbGtid> byDomain;

    private MariaDbGtidList(final Map<Long, MariaDbGtid> byDomain) {
        this.byDomain = Collections.unmodifiableMap(byDomain);
    }

    /**
     * Parses a comma-separated list; empty text is the empty list.
     *
     * @throws IllegalArgumentException for a malformed GTID or two GTIDs of one domain
     */
    public static MariaDbGtidList parse(final String text) {
        final Map<Long, MariaDbGtid> map = new TreeMap<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",")) {
                final MariaDbGtid gtid = MariaDbGtid.parse(part.trim());
                if (map.put(gtid.domainId(), gtid) != null) {
                    throw new IllegalArgumentException(
                            "GTID list '" + text + "' has two GTIDs for domain " + gtid.domainId());
                }
            }
        }
        return new MariaDbGtidList(map);
    }

    /** The GTID of {@code domainId}, or {@code null}. */
    public MariaDbGtid get(final long domainId) {
        return byDomain.get(domainId);
    }

    /** Whether the transaction {@code gtid} is at or before this position in its domain. */
    public boolean contains(final MariaDbGtid gtid) {
        final MariaDbGtid mine = byDomain.get(gtid.domainId());
        return mine != null && Long.compareUnsigned(mine.sequence(), gtid.sequence()) >= 0;
    }

    /** A new list with {@code gtid} as its domain's position. */
    public MariaDbGtidList with(final MariaDbGtid gtid) {
        final Map<Long, MariaDbGtid> copy = new TreeMap<>(byDomain);
        copy.put(gtid.domainId(), gtid);
        return new MariaDbGtidList(copy);
    }

    public Collection<MariaDbGtid> gtids() {
        return byDomain.values();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof MariaDbGtidList other && byDomain.equals(other.byDomain);
    }

    @Override
    public int hashCode() {
        return byDomain.hashCode();
    }

    @Override
    public String toString() {
        return byDomain.values().stream().map(MariaDbGtid::toString).collect(Collectors.joining(","));
    }
}
