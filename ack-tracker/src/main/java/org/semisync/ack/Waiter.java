package org.semisync.ack;

import java.util.concurrent.Executor;

/**
 * One held commit (or response held in AFTER_SYNC): the input that registers it, and then the waiter inside the
 * tracker (one draining thread at a time), released exactly once. It is also its own release callback ({@link #run()}
 * on the waiter's executor), so a commit costs one allocation from registration to release.
 */
final class Waiter extends TrackerEvent implements Runnable {
    long registeredNanos;
    long deadlineNanos;
    boolean released;
    /** Admitted as waiting: counted in wait_sessions (reads: reads waiting) and, once acknowledged, in tx_waits. */
    boolean counted;
    /** Set with {@link #released}, before the callback is handed to the executor (which publishes them). */
    private ReleaseOutcome outcome;

    private long waitedNanos;

    private Waiter(
            final Type type,
            final BinlogPosition position,
            final Gtid gtid,
            final Executor executor,
            final CommitListener listener) {
        super(type, position, gtid, null, executor, listener, null);
    }

    /** A commit that ends at {@code end}. */
    static Waiter forPosition(final BinlogPosition end, final Executor executor, final CommitListener listener) {
        return new Waiter(Type.AWAIT_POSITION, end, null, executor, listener);
    }

    /** A commit known by its GTID until the tail reports where it ended. */
    static Waiter forGtid(final Gtid gtid, final Executor executor, final CommitListener listener) {
        return new Waiter(Type.AWAIT_GTID, null, gtid, executor, listener);
    }

    /** A response held until the quorum covers {@code position} (AFTER_SYNC). */
    static Waiter forRead(final BinlogPosition position, final Executor executor, final CommitListener listener) {
        return new Waiter(Type.AWAIT_READ, position, null, executor, listener);
    }

    /** A response held in AFTER_SYNC (not a commit): never counted in the plugin's transaction counters. */
    boolean read() {
        return type == Type.AWAIT_READ;
    }

    /** Starts the wait at {@code now}, until {@code deadline} at most. */
    void start(final long now, final long deadline) {
        registeredNanos = now;
        deadlineNanos = deadline;
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
