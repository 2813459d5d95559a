package org.semisync.proxy.replica;

import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.SemiSyncStatus;

/**
 * Whether a transaction end sent to a semi-sync replica asks it for an ACK (the flag of the semi-sync header), as the
 * plugin's {@code update_sync_header} decides; every request counts in {@code net_waits}.
 */
final class AckRequests {
    private final AckTracker tracker;

    AckRequests(final AckTracker tracker) {
        this.tracker = tracker;
    }

    /**
     * Whether to ask for an ACK of the transaction ending at {@code end}: not while semi-sync is disabled (no flag, so
     * replicas send nothing), not while ON for a transaction the quorum has already acknowledged, and not for one that
     * nothing waits for (see {@link #awaited}). A replica catching up on old transactions thus streams them without an
     * ACK round trip each.
     */
    boolean wanted(final BinlogPosition end) {
        final SemiSyncStatus status = tracker.status();
        if (!status.settings().enabled()) {
            return false;
        }
        final BinlogPosition acknowledged = status.quorumPosition();
        if (status.on() && acknowledged != null && acknowledged.covers(end)) {
            return false;
        }
        if (!awaited(status, end)) {
            return false;
        }
        tracker.ackRequested();
        return true;
    }

    /**
     * Whether a commit may wait for {@code end}: one waits at or before it (its ACK covers that one), or it is the
     * newest transaction end the tail has reported. The plugin asks only from the lowest waiting position on, and while
     * OFF only from the newest commit on; it registers each commit before the dump thread can send its end. Here a
     * commit's OK may reach the proxy after its end went out, so the newest end is always asked for: a commit that
     * starts waiting on an earlier end later is then covered by that ACK, or by the next end sent, which is at or past
     * its position.
     */
    private static boolean awaited(final SemiSyncStatus status, final BinlogPosition end) {
        final BinlogPosition lowest = status.lowestWaiting();
        if (lowest != null && end.covers(lowest)) {
            return true;
        }
        final BinlogPosition newest = status.newestCommitted();
        return newest == null || end.covers(newest);
    }
}
