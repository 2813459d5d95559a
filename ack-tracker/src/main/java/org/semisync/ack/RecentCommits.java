package org.semisync.ack;

/**
 * The last {@code capacity} {@code GTID → end position} reports, the oldest forgotten first, kept in arrays allocated
 * once. A map of records (an entry, a GTID and a position per commit, each living for the next 128 Ki commits) sent
 * three objects per transaction to the old generation, where they died: about 10 MB per young collection under
 * sysbench. Tracker thread only.
 *
 * <p>A GTID is three longs: MariaDB's {@code domain << 32 | server}, {@code seq} and 0; MySQL's UUID halves and its
 * transaction number (at least 1, so the two kinds never meet). The index is open addressing with linear probing,
 * twice the capacity; forgetting an entry shifts the probe chain back over the hole (no tombstones).
 */
final class RecentCommits {
    private final long[] first;
    private final long[] second;
    private final long[] third;
    private final String[] files;
    private final long[] offsets;
    /** Entry number + 1 per index slot; 0 is an empty slot. */
    private final int[] index;

    private final int entryMask;
    private final int indexMask;
    /** Reports kept so far; report {@code n} lives in entry {@code n & entryMask}. */
    private long written;

    // the key being looked at, set by key(); tracker thread only
    private long a;
    private long b;
    private long c;

    /** @param capacity a power of two */
    RecentCommits(final int capacity) {
        if (capacity < 1 || Integer.bitCount(capacity) != 1 || capacity > 1 << 28) {
            throw new IllegalArgumentException("capacity must be a power of two up to 2^28, got " + capacity);
        }
        first = new long[capacity];
        second = new long[capacity];
        third = new long[capacity];
        files = new String[capacity];
        offsets = new long[capacity];
        index = new int[capacity * 2];
        entryMask = capacity - 1;
        indexMask = capacity * 2 - 1;
    }

    /** Where the commit with {@code gtid} ended, if it is among the kept reports; else null. */
    BinlogPosition get(final Gtid gtid) {
        key(gtid);
        final int slot = find();
        if (index[slot] == 0) {
            return null;
        }
        final int entry = index[slot] - 1;
        return new BinlogPosition(files[entry], offsets[entry]);
    }

    /** Keeps a report, forgetting the oldest when full; a GTID reported again keeps its place with the new end. */
    void put(final Gtid gtid, final BinlogPosition end) {
        key(gtid);
        int slot = find();
        if (index[slot] != 0) {
            files[index[slot] - 1] = end.file();
            offsets[index[slot] - 1] = end.offset();
            return;
        }
        final int entry = (int) (written & entryMask);
        if (written > entryMask) {
            forget(entry);
            key(gtid);
            slot = find(); // the shift may have moved the chain this key probes
        }
        first[entry] = a;
        second[entry] = b;
        third[entry] = c;
        files[entry] = end.file();
        offsets[entry] = end.offset();
        index[slot] = entry + 1;
        written++;
    }

    private void key(final Gtid gtid) {
        if (gtid instanceof MariaDbGtid m) {
            a = m.domainId() << 32 | m.serverId();
            b = m.sequence();
            c = 0;
        } else {
            final MysqlGtid m = (MysqlGtid) gtid;
            a = m.sourceId().getMostSignificantBits();
            b = m.sourceId().getLeastSignificantBits();
            c = m.transaction();
        }
    }

    /** The index slot holding the current key, or the empty slot where it would go. */
    private int find() {
        int slot = home(a, b, c);
        while (index[slot] != 0) {
            final int entry = index[slot] - 1;
            if (first[entry] == a && second[entry] == b && third[entry] == c) {
                return slot;
            }
            slot = (slot + 1) & indexMask;
        }
        return slot;
    }

    /** Takes {@code entry} out of the index and closes the gap in its probe chain. */
    private void forget(final int entry) {
        int hole = home(first[entry], second[entry], third[entry]);
        while (index[hole] != entry + 1) {
            hole = (hole + 1) & indexMask;
        }
        int next = hole;
        while (true) {
            next = (next + 1) & indexMask;
            final int moving = index[next];
            if (moving == 0) {
                break;
            }
            final int home = home(first[moving - 1], second[moving - 1], third[moving - 1]);
            // it may fill the hole unless its home lies cyclically after the hole, up to where it is now
            final boolean homeBetween = hole <= next ? home > hole && home <= next : home > hole || home <= next;
            if (!homeBetween) {
                index[hole] = moving;
                hole = next;
            }
        }
        index[hole] = 0;
    }

    private int home(final long x, final long y, final long z) {
        long h = x * 0x9E3779B97F4A7C15L ^ y * 0xC2B2AE3D27D4EB4FL ^ z * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        return (int) (h ^ h >>> 32) & indexMask;
    }
}
