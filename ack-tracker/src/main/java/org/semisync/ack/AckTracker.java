package org.semisync.ack;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when a held commit may be released: the semi-sync master's bookkeeping as a library. Thread-safe and never
 * blocking: the thread that hands in an input applies it at once, unless another thread is applying inputs already;
 * then the input is queued and that thread applies it too before it lets go (queue-drain, {@link SerialDrain}). So
 * one thread at a time owns all state (the single writer) without a thread of its own: an ACK read on an event loop
 * releases its commits on that event loop, with no hand-off to a tracker thread and back (each cost a futex wake-up
 * and a context switch per input on a 2-core machine; perf/results/ack-tracker). Release callbacks run on the
 * executor each waiter names (e.g. the client's event loop). A timer thread that sleeps until the oldest deadline
 * drives the timeouts when no input arrives.
 *
 * <pre>{@code
 * AckTracker tracker = AckTracker.builder().settings(SemiSyncSettings.DEFAULTS).build().start();
 * tracker.replicaConnected("2", BinlogPosition.parse("mysql-bin.000001:4"));
 * tracker.awaitGtid(Gtid.parse("0-1-42"), eventLoop, (outcome, nanos) -> writeHeldOk());
 * tracker.transactionCommitted(Gtid.parse("0-1-42"), BinlogPosition.parse("mysql-bin.000001:1621"));
 * tracker.ack("2", BinlogPosition.parse("mysql-bin.000001:1621"));   // releases the commit
 * }</pre>
 */
public final class AckTracker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AckTracker.class);
    private final SerialDrain drain = new SerialDrain(new Writer());
    private final TrackerState state;
    private final LongSupplier clock;
    private final long tickNanos;
    private final TimeoutTimer timer;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * The last published snapshot. Written with a release store, not a volatile one (a full fence per batch): readers
     * only need to see a complete snapshot, and a release callback is handed over through its executor's queue, which
     * orders the snapshot before it anyway.
     */
    private final AtomicReference<SemiSyncStatus> status = new AtomicReference<>();

    private volatile boolean closed;
    /** Set by the timer: the next drain checks the deadlines even if no tick is due by the clock. */
    private volatile boolean tickRequested;

    // owned by the draining thread
    private long lastTick;
    private boolean halted;
    /** The clock as read by the last input of this batch, or Long.MIN_VALUE when the batch applied none. */
    private long batchNow = Long.MIN_VALUE;

    private AckTracker(final Builder b) {
        this.clock = b.clock;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(b.tickMillis);
        this.state = new TrackerState(b.settings, b.releaseObserver);
        state.deferCallbacks();
        this.status.set(state.snapshot());
        this.lastTick = clock.getAsLong();
        this.timer = new TimeoutTimer(clock, tickNanos, this::tickFromTimer);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the timer that times out waiting commits when no input arrives. */
    public AckTracker start() {
        timer.start();
        return this;
    }

    // ------------------------------------------------------------------ inputs

    /** Holds a commit that ends at {@code end} (position-probe mode); {@code listener} runs on {@code executor}. */
    public void awaitPosition(final BinlogPosition end, final Executor executor, final CommitListener listener) {
        publish(Waiter.forPosition(end, executor, listener));
    }

    /**
     * Holds a response (wait point AFTER_SYNC) until the quorum covers {@code position}, a binlog position read after
     * the response arrived; timeout, OFF and enforced work as for commits, but it is not counted as a transaction.
     */
    public void awaitRead(final BinlogPosition position, final Executor executor, final CommitListener listener) {
        publish(Waiter.forRead(position, executor, listener));
    }

    /** Holds the commit with {@code gtid} (session-tracking mode); resolved by {@link #transactionCommitted}. */
    public void awaitGtid(final Gtid gtid, final Executor executor, final CommitListener listener) {
        publish(Waiter.forGtid(gtid, executor, listener));
    }

    /** The binlog tail saw a transaction ({@code gtid} may be null) end at {@code end}. */
    public void transactionCommitted(final Gtid gtid, final BinlogPosition end) {
        publish(new TrackerEvent(TrackerEvent.Type.COMMITTED, end, gtid, null, null, null, null));
    }

    /** A replica acknowledged {@code position}. */
    public void ack(final String replicaId, final BinlogPosition position) {
        publish(new TrackerEvent(TrackerEvent.Type.ACK, position, null, replicaId, null, null, null));
    }

    /**
     * Extends the replica's acknowledged position to {@code position} without an ACK packet: the relay knows that
     * nothing between the replica's last ACK and {@code position} belongs to a transaction (checkpoint, GTID list,
     * the next file's first events). Not counted in get_ack.
     */
    public void cover(final String replicaId, final BinlogPosition position) {
        publish(new TrackerEvent(TrackerEvent.Type.COVER, position, null, replicaId, null, null, null));
    }

    /** A semi-sync replica started a dump at {@code start}; like the plugin, that counts as its first ACK. */
    public void replicaConnected(final String replicaId, final BinlogPosition start) {
        publish(new TrackerEvent(TrackerEvent.Type.REPLICA_CONNECTED, start, null, replicaId, null, null, null));
    }

    /**
     * An event asking for an ACK was sent to a replica ({@code Rpl_semi_sync_master_net_waits}, counted like the
     * plugin's flush_net). Any thread; not queued.
     */
    public void ackRequested() {
        state.ackRequested();
    }

    /** {@code FLUSH STATUS}: resets the counters the plugin resets; runs {@code done} once applied. */
    public void resetStats(final Executor executor, final Runnable done) {
        publish(new TrackerEvent(
                TrackerEvent.Type.RESET_STATS, null, null, null, executor, (o, w) -> done.run(), null));
    }

    /** A semi-sync replica went away. */
    public void replicaDisconnected(final String replicaId) {
        publish(new TrackerEvent(TrackerEvent.Type.REPLICA_DISCONNECTED, null, null, replicaId, null, null, null));
    }

    /**
     * Replaces the variables at run time ({@code SET GLOBAL rpl_semi_sync_master_...}); build {@code next} from
     * {@code status().settings()}. Applied in order with the other inputs; waiting commits keep the deadline they
     * started with, as in the plugin.
     */
    public void configure(final SemiSyncSettings next) {
        publish(new TrackerEvent(
                TrackerEvent.Type.CONFIGURE, null, null, null, null, null, Objects.requireNonNull(next)));
    }

    /**
     * {@link #configure(SemiSyncSettings)}, then runs {@code applied} on {@code executor} once the new settings are in
     * force and visible in {@link #status()} (so a {@code SET GLOBAL} can answer OK only then).
     */
    public void configure(final SemiSyncSettings next, final Executor executor, final Runnable applied) {
        Objects.requireNonNull(applied);
        publish(new TrackerEvent(
                TrackerEvent.Type.CONFIGURE,
                null,
                null,
                null,
                executor,
                (outcome, waited) -> applied.run(),
                Objects.requireNonNull(next)));
    }

    /** The status variables, consistent as of the last processed batch of inputs. */
    public SemiSyncStatus status() {
        return status.get();
    }

    /**
     * Releases every waiting commit (outcome {@link ReleaseOutcome#SHUTDOWN}, counted in {@code no_tx}) and stops the
     * timer. Commits registered afterwards are released at once.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // A producer that saw closed == false may still offer after SHUTDOWN: its input is applied after it, and a
        // commit is then released at once (SHUTDOWN), so nothing is left behind.
        drain.offer(new TrackerEvent(TrackerEvent.Type.SHUTDOWN, null, null, null, null, null, null));
        drain.drain();
        timer.stop();
        if (drain.drainingHere()) {
            // closed from a release callback: the drain this thread is in applies SHUTDOWN when the callback returns
            return;
        }
        try {
            if (!stopped.await(10, TimeUnit.SECONDS)) {
                LOG.warn("ack-tracker - shutdown not applied within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publish(final TrackerEvent input) {
        if (closed) {
            if (input.listener != null) {
                input.executor.execute(() -> input.listener.released(ReleaseOutcome.SHUTDOWN, 0));
            }
            return;
        }
        drain.submit(input);
        drain.awaitBacklog();
    }

    /** Drain requests not yet served: about the inputs queued and not yet applied (tests). */
    int backlog() {
        return drain.backlog();
    }

    private void tickFromTimer() {
        tickRequested = true;
        drain.drain();
    }

    /** The single writer: one thread at a time, whichever drains. */
    private final class Writer implements SerialDrain.Writer {
        @Override
        public void apply(final TrackerEvent e) {
            final long now = clock.getAsLong();
            batchNow = now;
            try {
                switch (e.type) {
                    case AWAIT_POSITION, AWAIT_GTID, AWAIT_READ -> state.await(now, (Waiter) e);
                    case COMMITTED -> state.transactionCommitted(now, e.gtid, e.position);
                    case ACK -> state.ack(now, e.replicaId, e.position);
                    case COVER -> state.ack(now, e.replicaId, e.position, false);
                    case REPLICA_CONNECTED -> state.replicaConnected(now, e.replicaId, e.position);
                    case REPLICA_DISCONNECTED -> state.replicaDisconnected(now, e.replicaId);
                    case CONFIGURE -> {
                        state.configure(now, e.settings);
                        if (e.listener != null) {
                            state.notifyAfterPublish(e.executor, e.listener);
                        }
                    }
                    case RESET_STATS -> {
                        state.resetStats(now);
                        state.notifyAfterPublish(e.executor, e.listener);
                    }
                    case SHUTDOWN -> {
                        state.shutdown(now);
                        // publish the final counters before close() returns, so status() after close() is exact
                        status.set(state.snapshot());
                        state.dispatchDeferred();
                        halted = true;
                        stopped.countDown();
                    }
                }
            } catch (RuntimeException ex) {
                // keep going: one bad input must not stop the tracker
                LOG.error("ack-tracker - failed to apply {}: {}", e.type, ex.toString(), ex);
            }
        }

        /** Times out what is due, then publishes the status before the release callbacks run. */
        @Override
        public void endOfBatch() {
            if (halted) {
                // inputs that raced close() are applied after SHUTDOWN: their commits are released, the status stays
                state.dispatchDeferred();
                return;
            }
            try {
                final long now = batchNow != Long.MIN_VALUE ? batchNow : clock.getAsLong();
                batchNow = Long.MIN_VALUE;
                if (tickRequested || now - lastTick >= tickNanos) {
                    tickRequested = false;
                    lastTick = now;
                    state.tick(now);
                }
                status.setRelease(state.snapshot());
                timer.deadline(state.nextDeadline());
            } catch (RuntimeException ex) {
                LOG.error("ack-tracker - failed to check timeouts: {}", ex.toString(), ex);
            }
            state.dispatchDeferred();
        }
    }

    /** Builder; defaults: plugin defaults, 10 ms tick, system nano clock. */
    public static final class Builder {
        private SemiSyncSettings settings = SemiSyncSettings.DEFAULTS;
        private long tickMillis = 10;
        private LongSupplier clock = System::nanoTime;
        private ReleaseObserver releaseObserver = (outcome, nanos) -> {};

        private Builder() {}

        public Builder settings(final SemiSyncSettings value) {
            this.settings = value;
            return this;
        }

        /** The timeout resolution, ms: the timer checks the deadlines at most this often. */
        public Builder tickMillis(final long value) {
            this.tickMillis = value;
            return this;
        }

        /** The clock (nanoseconds, monotonic); tests pass a controllable one. */
        public Builder clock(final LongSupplier value) {
            this.clock = value;
            return this;
        }

        /** Sees every release on the draining thread (metrics); must be fast and must not throw. */
        public Builder releaseObserver(final ReleaseObserver value) {
            this.releaseObserver = value;
            return this;
        }

        public AckTracker build() {
            return new AckTracker(this);
        }
    }
}
