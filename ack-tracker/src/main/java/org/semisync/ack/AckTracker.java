package org.semisync.ack;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when a held commit may be released: the semi-sync master's bookkeeping as a library. Thread-safe: every
 * method publishes an event into an LMAX Disruptor ring consumed by one thread that owns all state (the single
 * writer); release callbacks run on the executor each waiter names (e.g. the client's event loop). After an input
 * the consumer spins briefly; idle, it sleeps in a timed wait that also drives the timeouts, so it does
 * not burn a core.
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
    /** How long the tracker thread spins after an input before it parks (measured: perf/results/ack-tracker). */
    private static final long SPIN_NANOS = 10_000;

    private final Disruptor<TrackerEvent> disruptor;
    private final RingBuffer<TrackerEvent> ring;
    private final TrackerState state;
    private final LongSupplier clock;
    private final long tickNanos;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Producers between their closed check and their ring publish; close() waits for them (none is dropped). */
    private final LongAdder inFlight = new LongAdder();

    private volatile SemiSyncStatus status;
    private volatile boolean closed;

    private AckTracker(final Builder b) {
        this.clock = b.clock;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(b.tickMillis);
        this.state = new TrackerState(b.settings, b.releaseObserver);
        state.deferCallbacks();
        this.status = state.snapshot();
        final ThreadFactory threads = r -> {
            final Thread t = new Thread(r, "semisync-ack-tracker");
            t.setDaemon(true);
            return t;
        };
        this.disruptor = new Disruptor<>(
                TrackerEvent::new,
                b.ringSize,
                threads,
                ProducerType.MULTI,
                // a brief spin after each input, then a timed park that also drives the timeouts
                new SpinThenParkWaitStrategy(SPIN_NANOS, tickNanos));
        this.disruptor.handleEventsWith(new Consumer());
        this.disruptor.setDefaultExceptionHandler(new LoggingExceptionHandler());
        this.ring = disruptor.getRingBuffer();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the tracker thread. */
    public AckTracker start() {
        disruptor.start();
        return this;
    }

    // ------------------------------------------------------------------ inputs

    /** Holds a commit that ends at {@code end} (position-probe mode); {@code listener} runs on {@code executor}. */
    public void awaitPosition(final BinlogPosition end, final Executor executor, final CommitListener listener) {
        publish(TrackerEvent.Type.AWAIT_POSITION, end, null, null, executor, listener, null);
    }

    /**
     * Holds a response (wait point AFTER_SYNC) until the quorum covers {@code position}, a binlog position read after
     * the response arrived; timeout, OFF and enforced work as for commits, but it is not counted as a transaction.
     */
    public void awaitRead(final BinlogPosition position, final Executor executor, final CommitListener listener) {
        publish(TrackerEvent.Type.AWAIT_READ, position, null, null, executor, listener, null);
    }

    /** Holds the commit with {@code gtid} (session-tracking mode); resolved by {@link #transactionCommitted}. */
    public void awaitGtid(final Gtid gtid, final Executor executor, final CommitListener listener) {
        publish(TrackerEvent.Type.AWAIT_GTID, null, gtid, null, executor, listener, null);
    }

    /** The binlog tail saw a transaction ({@code gtid} may be null) end at {@code end}. */
    public void transactionCommitted(final Gtid gtid, final BinlogPosition end) {
        publish(TrackerEvent.Type.COMMITTED, end, gtid, null, null, null, null);
    }

    /** A replica acknowledged {@code position}. */
    public void ack(final String replicaId, final BinlogPosition position) {
        publish(TrackerEvent.Type.ACK, position, null, replicaId, null, null, null);
    }

    /**
     * Extends the replica's acknowledged position to {@code position} without an ACK packet: the relay knows that
     * nothing between the replica's last ACK and {@code position} belongs to a transaction (checkpoint, GTID list,
     * the next file's first events). Not counted in get_ack.
     */
    public void cover(final String replicaId, final BinlogPosition position) {
        publish(TrackerEvent.Type.COVER, position, null, replicaId, null, null, null);
    }

    /** A semi-sync replica started a dump at {@code start}; like the plugin, that counts as its first ACK. */
    public void replicaConnected(final String replicaId, final BinlogPosition start) {
        publish(TrackerEvent.Type.REPLICA_CONNECTED, start, null, replicaId, null, null, null);
    }

    /**
     * An event asking for an ACK was sent to a replica ({@code Rpl_semi_sync_master_net_waits}, counted like the
     * plugin's flush_net). Any thread; does not go through the ring.
     */
    public void ackRequested() {
        state.ackRequested();
    }

    /** {@code FLUSH STATUS}: resets the counters the plugin resets; runs {@code done} once applied. */
    public void resetStats(final Executor executor, final Runnable done) {
        publish(TrackerEvent.Type.RESET_STATS, null, null, null, executor, (o, w) -> done.run(), null);
    }

    /** A semi-sync replica went away. */
    public void replicaDisconnected(final String replicaId) {
        publish(TrackerEvent.Type.REPLICA_DISCONNECTED, null, null, replicaId, null, null, null);
    }

    /**
     * Replaces the variables at run time ({@code SET GLOBAL rpl_semi_sync_master_...}); build {@code next} from
     * {@code status().settings()}. Applied in order with the other inputs; waiting commits keep the deadline they
     * started with, as in the plugin.
     */
    public void configure(final SemiSyncSettings next) {
        publish(TrackerEvent.Type.CONFIGURE, null, null, null, null, null, java.util.Objects.requireNonNull(next));
    }

    /**
     * {@link #configure(SemiSyncSettings)}, then runs {@code applied} on {@code executor} once the new settings are in
     * force and visible in {@link #status()} (so a {@code SET GLOBAL} can answer OK only then).
     */
    public void configure(final SemiSyncSettings next, final Executor executor, final Runnable applied) {
        java.util.Objects.requireNonNull(applied);
        publish(
                TrackerEvent.Type.CONFIGURE,
                null,
                null,
                null,
                executor,
                (outcome, waited) -> applied.run(),
                java.util.Objects.requireNonNull(next));
    }

    /** The status variables, consistent as of the last processed batch of inputs. */
    public SemiSyncStatus status() {
        return status;
    }

    /**
     * Releases every waiting commit (outcome {@link ReleaseOutcome#SHUTDOWN}, counted in {@code no_tx}) and stops the
     * thread. Commits registered afterwards are released at once.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // A producer that saw closed == false may still be claiming a slot: let it publish, so that SHUTDOWN is the
        // last event in the ring and nothing is left behind when the thread halts.
        while (inFlight.sum() != 0) {
            Thread.yield();
        }
        writeToRing(TrackerEvent.Type.SHUTDOWN, null, null, null, null, null, null);
        try {
            if (!stopped.await(10, TimeUnit.SECONDS)) {
                LOG.warn("ack-tracker - shutdown event not processed within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        disruptor.halt();
    }

    private void publish(
            final TrackerEvent.Type type,
            final BinlogPosition position,
            final Gtid gtid,
            final String replicaId,
            final Executor executor,
            final CommitListener listener,
            final SemiSyncSettings settings) {
        inFlight.increment();
        try {
            if (closed) {
                if (listener != null) {
                    executor.execute(() -> listener.released(ReleaseOutcome.SHUTDOWN, 0));
                }
                return;
            }
            writeToRing(type, position, gtid, replicaId, executor, listener, settings);
        } finally {
            inFlight.decrement();
        }
    }

    private void writeToRing(
            final TrackerEvent.Type type,
            final BinlogPosition position,
            final Gtid gtid,
            final String replicaId,
            final Executor executor,
            final CommitListener listener,
            final SemiSyncSettings settings) {
        final long seq = ring.next();
        try {
            final TrackerEvent e = ring.get(seq);
            e.type = type;
            e.position = position;
            e.gtid = gtid;
            e.replicaId = replicaId;
            e.executor = executor;
            e.listener = listener;
            e.settings = settings;
        } finally {
            ring.publish(seq);
        }
    }

    /** The single writer. */
    private final class Consumer implements EventHandler<TrackerEvent> {
        private long lastTick;

        @Override
        public void onEvent(final TrackerEvent e, final long sequence, final boolean endOfBatch) {
            final long now = clock.getAsLong();
            try {
                switch (e.type) {
                    case AWAIT_POSITION -> state.awaitPosition(now, e.position, e.executor, e.listener);
                    case AWAIT_GTID -> state.awaitGtid(now, e.gtid, e.executor, e.listener);
                    case AWAIT_READ -> state.awaitRead(now, e.position, e.executor, e.listener);
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
                        status = state.snapshot();
                        state.dispatchDeferred();
                        stopped.countDown();
                    }
                }
            } finally {
                e.clear();
            }
            if (endOfBatch) {
                if (now - lastTick >= tickNanos) {
                    lastTick = now;
                    state.tick(now);
                }
                status = state.snapshot();
                state.dispatchDeferred();
            }
        }

        @Override
        public void onTimeout(final long sequence) {
            final long now = clock.getAsLong();
            lastTick = now;
            state.tick(now);
            status = state.snapshot();
            state.dispatchDeferred();
        }
    }

    private static final class LoggingExceptionHandler implements ExceptionHandler<TrackerEvent> {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final TrackerEvent event) {
            // keep consuming: one bad input must not freeze the ring (the default handler would kill the thread)
            LOG.error("ack-tracker - failed to process {} (sequence {}): {}", event.type, sequence, ex.toString(), ex);
            event.clear();
        }

        @Override
        public void handleOnStartException(final Throwable ex) {
            LOG.error("ack-tracker - failed to start", ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex) {
            LOG.error("ack-tracker - failed to stop", ex);
        }
    }

    /** Builder; defaults: plugin defaults, 64 Ki slots, 10 ms tick, system nano clock. */
    public static final class Builder {
        private SemiSyncSettings settings = SemiSyncSettings.DEFAULTS;
        private int ringSize = 1 << 16;
        private long tickMillis = 10;
        private LongSupplier clock = System::nanoTime;
        private ReleaseObserver releaseObserver = (outcome, nanos) -> {};

        private Builder() {}

        public Builder settings(final SemiSyncSettings value) {
            this.settings = value;
            return this;
        }

        /** Slots in the input ring (power of two). */
        public Builder ringSize(final int value) {
            this.ringSize = value;
            return this;
        }

        /** How often waiters are checked for timeouts, ms (the timeout resolution). */
        public Builder tickMillis(final long value) {
            this.tickMillis = value;
            return this;
        }

        /** The clock (nanoseconds, monotonic); tests pass a controllable one. */
        public Builder clock(final LongSupplier value) {
            this.clock = value;
            return this;
        }

        /** Sees every release on the tracker thread (metrics); must be fast and must not throw. */
        public Builder releaseObserver(final ReleaseObserver value) {
            this.releaseObserver = value;
            return this;
        }

        public AckTracker build() {
            return new AckTracker(this);
        }
    }
}
