package org.semisync.ack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A MySQL GTID set, e.g. {@code 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7,...}: per source UUID a sorted list of
 * disjoint, non-adjacent closed intervals. Immutable.
 */
public final class MysqlGtidSet {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    /** A closed interval {@code [start, end]} of transaction numbers. */
    public record Interval(long start, long end) {
        public Interval {
            if (start < 1 || end < start) {
                throw new IllegalArgumentException("bad GTID interval " + start + "-" + end);
            }
        }

        @Override
        public String toString() {
            return start == end ? Long.toString(start) : start + "-" + end;
        }
    }

    private final Map<UUID, List<Interval>> sets;

    private MysqlGtidSet(final Map<UUID, List<Interval>> sets) {
        this.sets = sets;
    }

    /** The empty set. */
    public static MysqlGtidSet empty() {
        return new MysqlGtidSet(new TreeMap<>());
    }

    /**
     * Parses the server's text form (whitespace and newlines between entries allowed, as in SHOW MASTER STATUS).
     *
     * @throws IllegalArgumentException naming the bad part
     */
    public static MysqlGtidSet parse(final String text) {
        MysqlGtidSet result = empty();
        if (text == null || text.isBlank()) {
            return result;
        }
        for (String entry : text.replaceAll("\\s", "").split(",")) {
            final String[] parts = entry.split(":");
            if (parts.length < 2) {
                throw new IllegalArgumentException("GTID set entry '" + entry + "' has no intervals");
            }
            final UUID uuid = parseUuid(parts[0]);
            for (int i = 1; i < parts.length; i++) {
                final String[] bounds = parts[i].split("-", -1);
                try {
                    final long start = Long.parseLong(bounds[0]);
                    final long end = bounds.length == 2 ? Long.parseLong(bounds[1]) : start;
                    if (bounds.length > 2) {
                        throw new NumberFormatException();
                    }
                    result = result.union(uuid, new Interval(start, end));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "bad interval '" + parts[i] + "' in GTID set entry '" + entry + "'");
                }
            }
        }
        return result;
    }

    static UUID parseUuid(final String text) {
        if (!UUID_TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a server UUID");
        }
        final String hex = text.replace("-", "");
        return new UUID(
                Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    }

    /** Whether {@code gtid} is in the set. */
    public boolean contains(final MysqlGtid gtid) {
        final List<Interval> intervals = sets.get(gtid.sourceId());
        if (intervals == null) {
            return false;
        }
        int lo = 0;
        int hi = intervals.size() - 1;
        while (lo <= hi) {
            final int mid = (lo + hi) >>> 1;
            final Interval in = intervals.get(mid);
            if (gtid.transaction() < in.start()) {
                hi = mid - 1;
            } else if (gtid.transaction() > in.end()) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** This set plus {@code gtid}. */
    public MysqlGtidSet with(final MysqlGtid gtid) {
        return union(gtid.sourceId(), new Interval(gtid.transaction(), gtid.transaction()));
    }

    /** The union of both sets. */
    public MysqlGtidSet union(final MysqlGtidSet other) {
        MysqlGtidSet result = this;
        for (Map.Entry<UUID, List<Interval>> e : other.sets.entrySet()) {
            for (Interval in : e.getValue()) {
                result = result.union(e.getKey(), in);
            }
        }
        return result;
    }

    private MysqlGtidSet union(final UUID uuid, final Interval added) {
        final List<Interval> merged = new ArrayList<>();
        long start = added.start();
        long end = added.end();
        boolean placed = false;
        for (Interval in : sets.getOrDefault(uuid, List.of())) {
            if (in.end() + 1 < start) {
                merged.add(in);
            } else if (end + 1 < in.start()) {
                if (!placed) {
                    merged.add(new Interval(start, end));
                    placed = true;
                }
                merged.add(in);
            } else {
                start = Math.min(start, in.start());
                end = Math.max(end, in.end());
            }
        }
        if (!placed) {
            merged.add(new Interval(start, end));
        }
        final Map<UUID, List<Interval>> copy = new TreeMap<>(sets);
        copy.put(uuid, Collections.unmodifiableList(merged));
        return new MysqlGtidSet(copy);
    }

    /** The intervals of {@code uuid} (empty when none). */
    public List<Interval> intervals(final UUID uuid) {
        return sets.getOrDefault(uuid, List.of());
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof MysqlGtidSet other && sets.equals(other.sets);
    }

    @Override
    public int hashCode() {
        return sets.hashCode();
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder();
        for (Map.Entry<UUID, List<Interval>> e : sets.entrySet()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(e.getKey());
            e.getValue().forEach(in -> sb.append(':').append(in));
        }
        return sb.toString();
    }
}
