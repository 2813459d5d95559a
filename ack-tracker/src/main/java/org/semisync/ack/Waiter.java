package org.semisync.ack;

import java.util.concurrent.Executor;

/**
 * One held commit inside the tracker. Owned by the tracker (one draining thread at a time); released exactly once. It
 * is also its own release callback ({@link #run()} on the waiter's executor), so a release allocates nothing.
 */
final class Waiter implements Runnable {
    final Executor executor;
    final CommitListener listener;
    final long registeredNanos;
    final long deadlineNanos;
    final Gtid gtid;
    BinlogPosition position;
    boolean released;
    /** Admitted as waiting: counted in wait_sessions (reads: reads waiting) and, once acknowledged, in tx_waits. */
    boolean counted;
    /** A response held in AFTER_SYNC (not a commit): never counted in the plugin's transaction counters. */
    boolean read;
    /** Set with {@link #released}, before the callback is handed to the executor (which publishes them). */
    private ReleaseOutcome outcome;

    private long waitedNanos;

    Waiter(
            final Executor executor,
            final CommitListener listener,
            final long registeredNanos,
            final long deadlineNanos,
            final Gtid gtid,
            final BinlogPosition position) {
        this.executor = executor;
        this.listener = listener;
        this.registeredNanos = registeredNanos;
        this.deadlineNanos = deadlineNanos;
        this.gtid = gtid;
        this.position = position;
    }

    /** Marks the waiter released; the caller hands it to {@link #executor} next. */
    void release(final ReleaseOutcome why, final long waited) {
        released = true;
        outcome = why;
        waitedNanos = waited;
    }

    /** The release callback. */
    @Override
    public void run() {
        listener.released(outcome, waitedNanos);
    }
}
