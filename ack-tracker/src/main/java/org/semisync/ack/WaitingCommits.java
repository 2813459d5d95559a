package org.semisync.ack;

import java.util.List;

/**
 * The admitted waiters, indexed three ways: by deadline (every one), by end position (those that know it) and by
 * GTID (those that do not yet). The draining thread only.
 */
final class WaitingCommits {
    private final OrderedWaiters byPosition = new OrderedWaiters((a, b) -> a.position.compareTo(b.position));
    /**
     * Released ones are dropped when they reach the head. All waiters share one timeout, so this is registration
     * order (appends) unless the timeout was lowered meanwhile or the clock went back.
     */
    private final OrderedWaiters byDeadline =
            new OrderedWaiters((a, b) -> Long.compare(a.deadlineNanos, b.deadlineNanos));

    private final GtidWaiters gtids = new GtidWaiters();
    private final Releases releases;

    WaitingCommits(final Releases releases) {
        this.releases = releases;
    }

    /** Where the commit with {@code gtid} ended, if the tail reported it recently; else null. */
    BinlogPosition endOf(final Gtid gtid) {
        return gtids.endOf(gtid);
    }

    /** {@code w} waits from now on (until its deadline at most). */
    void admit(final Waiter w) {
        byDeadline.add(w);
    }

    /** {@code w} knows its end position; returns whether it is below the lowest one waiting (a back-traverse). */
    boolean byPosition(final Waiter w) {
        final Waiter lowest = byPosition.peek();
        byPosition.add(w);
        return lowest != null && w.position.compareTo(lowest.position) < 0;
    }

    /** {@code w} knows only its GTID so far. */
    void byGtid(final Gtid gtid, final Waiter w) {
        gtids.park(gtid, w);
    }

    /** The tail saw {@code gtid} end at {@code end}: remembers it and returns the waiters parked on it, or null. */
    List<Waiter> resolve(final Gtid gtid, final BinlogPosition end) {
        return gtids.resolve(gtid, end);
    }

    /** Releases, in position order, every waiter whose end position {@code quorum} covers. */
    void releaseCovered(final BinlogPosition quorum, final long now) {
        Waiter w;
        while ((w = byPosition.peek()) != null && quorum.covers(w.position)) {
            byPosition.poll();
            if (!w.released) {
                releases.release(w, ReleaseOutcome.ACKNOWLEDGED, now);
            }
        }
        // drop the released ones now, while they are in the cache, rather than at the next tick
        while ((w = byDeadline.peek()) != null && w.released) {
            byDeadline.poll();
        }
    }

    /**
     * The first waiter whose deadline passed at {@code now}, taken out of the deadline order (the caller releases
     * it); null when none. {@code keep}: enforced mode, where an expired waiter stays.
     */
    Waiter expired(final long now, final boolean keep) {
        Waiter first;
        while ((first = byDeadline.peek()) != null && (first.released || first.deadlineNanos <= now)) {
            if (!first.released && keep) {
                return null;
            }
            byDeadline.poll();
            if (!first.released) {
                return first;
            }
        }
        return null;
    }

    /** The lowest end position a waiter not yet released waits for, or null (released ones at the head are dropped). */
    BinlogPosition lowestWaiting() {
        Waiter w;
        while ((w = byPosition.peek()) != null && w.released) {
            byPosition.poll();
        }
        return w == null ? null : w.position;
    }

    /** The deadline of the oldest waiter (perhaps one released already), or {@code Long.MAX_VALUE} when none waits. */
    long earliestDeadline() {
        final Waiter first = byDeadline.peek();
        return first == null ? Long.MAX_VALUE : first.deadlineNanos;
    }

    /** Releases every waiter with {@code outcome}, in deadline order. */
    void releaseAll(final ReleaseOutcome outcome, final long now) {
        for (int i = 0; i < byDeadline.size(); i++) {
            final Waiter w = byDeadline.get(i);
            if (!w.released) {
                releases.release(w, outcome, now);
            }
        }
        byDeadline.clear();
        byPosition.clear();
        gtids.clearWaiters();
    }
}
