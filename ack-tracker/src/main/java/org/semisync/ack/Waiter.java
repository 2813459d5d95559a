package org.semisync.ack;

import java.util.concurrent.Executor;

/** One held commit inside the tracker. Owned by the tracker thread; released exactly once. */
final class Waiter {
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
}
