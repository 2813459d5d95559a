package org.semisync.proxy.commit;

import java.util.Objects;
import java.util.concurrent.Executor;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;

/**
 * Holds each client's commit OK until the AckTracker releases it. One per proxy (per master); it opens a
 * {@link SessionGate} for every client session. In tracking mode the GTID in the OK names the commit; in probe mode a
 * batched SHOW MASTER STATUS after every statement that may have written gives a position at or past it.
 */
public final class CommitGate {
    private final AckTracker tracker;
    private final DetectionMode mode;
    private final ProbeBatcher<BinlogPosition> probes;

    /**
     * @param probes the batched position probe; required in {@link DetectionMode#POSITION_PROBE}, ignored otherwise
     */
    public CommitGate(final AckTracker tracker, final DetectionMode mode, final ProbeBatcher<BinlogPosition> probes) {
        this.tracker = Objects.requireNonNull(tracker);
        this.mode = Objects.requireNonNull(mode);
        if (mode == DetectionMode.POSITION_PROBE && probes == null) {
            throw new IllegalArgumentException("position-probe mode needs a probe batcher");
        }
        this.probes = probes;
    }

    /** The detection mode in force (shown in the status). */
    public DetectionMode mode() {
        return mode;
    }

    /**
     * A gate for one client session.
     *
     * @param backendCapabilities what the proxy negotiated with the master (incl. CLIENT_SESSION_TRACK when tracking)
     * @param clientCapabilities what the client negotiated with the proxy
     * @param eventLoop the session's event loop: releases run there
     */
    public SessionGate openSession(
            final long backendCapabilities, final long clientCapabilities, final Executor eventLoop) {
        return new SessionGate(this, new OkRewriter(backendCapabilities, clientCapabilities), eventLoop);
    }

    AckTracker tracker() {
        return tracker;
    }

    ProbeBatcher<BinlogPosition> probes() {
        return probes;
    }
}
