package org.semisync.ack;

import java.util.concurrent.Executor;

/**
 * One input to the tracker, queued in {@link InputQueue} until a draining thread applies it. A registration
 * ({@code AWAIT_*}) is a {@link Waiter}: the input becomes the held commit, one object per commit.
 */
sealed class TrackerEvent permits Waiter {
    enum Type {
        AWAIT_POSITION,
        AWAIT_GTID,
        AWAIT_READ,
        COMMITTED,
        ACK,
        COVER,
        REPLICA_CONNECTED,
        REPLICA_DISCONNECTED,
        CONFIGURE,
        RESET_STATS,
        SHUTDOWN
    }

    final Type type;
    /** For a waiter that knows only its GTID: set by the writer once the tail reports where it ended. */
    BinlogPosition position;

    final Gtid gtid;
    final String replicaId;
    final Executor executor;
    final CommitListener listener;
    final SemiSyncSettings settings;
    /**
     * The input queued after this one; written once by its producer, read by the draining thread (release / acquire
     * through {@link InputQueue}: a full fence per input is not needed).
     */
    TrackerEvent next;

    TrackerEvent(
            final Type type,
            final BinlogPosition position,
            final Gtid gtid,
            final String replicaId,
            final Executor executor,
            final CommitListener listener,
            final SemiSyncSettings settings) {
        this.type = type;
        this.position = position;
        this.gtid = gtid;
        this.replicaId = replicaId;
        this.executor = executor;
        this.listener = listener;
        this.settings = settings;
    }
}
