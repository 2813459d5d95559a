package org.semisync.ack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Session-tracking mode: waiters that know their GTID but not yet its end position, and the recent
 * {@code GTID → end position} reports for waiters that register after the binlog tail saw their commit. Tracker
 * thread only.
 */
final class GtidWaiters {
    /** GTID → end position reports remembered for waiters that register after the report. */
    static final int RECENT_COMMITS = 1 << 17;

    private final Map<Gtid, List<Waiter>> unresolved = new HashMap<>();
    private final RecentCommits recentCommits = new RecentCommits(RECENT_COMMITS);

    /** Where the commit with {@code gtid} ended, if the tail reported it recently; else null. */
    BinlogPosition endOf(final Gtid gtid) {
        return recentCommits.get(gtid);
    }

    /** Holds {@code w} until {@link #resolve} reports its GTID. */
    void park(final Gtid gtid, final Waiter w) {
        unresolved.computeIfAbsent(gtid, g -> new ArrayList<>(1)).add(w);
    }

    /** The tail saw {@code gtid} end at {@code end}: remembers it and returns the waiters parked on it, or null. */
    List<Waiter> resolve(final Gtid gtid, final BinlogPosition end) {
        recentCommits.put(gtid, end);
        return unresolved.remove(gtid);
    }

    /** Forgets the parked waiters (all were released); the recent reports stay. */
    void clearWaiters() {
        unresolved.clear();
    }
}
