package org.semisync.ack;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One writer without a thread of its own: the thread that submits an input applies it, and then the queue, unless
 * another thread is applying already; the input is then queued, and that thread applies it too before it lets go
 * (queue-drain). A counter of drain requests orders the drains, so each draining thread sees the state the previous one
 * left. Nothing blocks, except a producer that finds too many inputs waiting ({@link #MAX_BACKLOG}).
 */
final class SerialDrain {
    /**
     * Inputs handed in but not yet applied past which a producer that is not draining waits for the drainer to catch
     * up. The queue itself is unbounded: without this, producers that only queue outrun the one thread that applies
     * (JMH with 8 producers on 2 cores filled a 1 GiB heap within seconds).
     */
    static final int MAX_BACKLOG = 1 << 16;

    /** What the drain applies; called by one thread at a time. */
    interface Writer {
        void apply(TrackerEvent input);

        /** After the queue ran empty (and after a drain with no input, {@link #drain()}). */
        void endOfBatch();
    }

    private final InputQueue inputs = new InputQueue();
    /** Drain requests not yet served; the thread that raises it from 0 drains until it falls back to 0. */
    private final AtomicInteger requests = new AtomicInteger();

    private final Writer writer;
    /** The thread draining now, or null; compared only with the current thread, which reads its own writes. */
    private Thread drainer;

    SerialDrain(final Writer writer) {
        this.writer = writer;
    }

    /** Queues {@code input} without applying it; {@link #drain()} next. */
    void offer(final TrackerEvent input) {
        inputs.offer(input);
    }

    /**
     * Applies {@code input}, then every queued input, and ends the batch; or, while another thread drains, queues it
     * for that one. When nobody drains, the input skips the queue: an input queued but not yet requested then belongs
     * to a producer still inside its call, so applying this one before it keeps every producer's own order.
     */
    void submit(final TrackerEvent input) {
        if (requests.get() == 0 && requests.compareAndSet(0, 1)) {
            drainer = Thread.currentThread();
            writer.apply(input);
            drainQueue(1);
            return;
        }
        inputs.offer(input);
        drain();
    }

    /**
     * Applies every queued input and ends the batch, unless another thread is doing so: that one sees this request and
     * goes round once more.
     */
    void drain() {
        if (requests.getAndIncrement() != 0) {
            return;
        }
        drainQueue(1);
    }

    /** Applies the queue until every request, {@code served} of them already counted, is served. */
    private void drainQueue(int served) {
        do {
            drainer = Thread.currentThread();
            TrackerEvent input;
            while ((input = inputs.poll()) != null) {
                writer.apply(input);
            }
            writer.endOfBatch();
            drainer = null;
            served = requests.addAndGet(-served);
        } while (served != 0);
    }

    /** Back-pressure, as a full ring gives: waits while another thread applies the backlog down to half the limit. */
    void awaitBacklog() {
        if (requests.get() <= MAX_BACKLOG || drainingHere()) {
            return;
        }
        while (requests.get() > MAX_BACKLOG / 2) {
            Thread.yield();
        }
    }

    /** Whether the current thread is draining (a release callback run inline). */
    boolean drainingHere() {
        return drainer == Thread.currentThread();
    }

    /** Drain requests not yet served: about the inputs queued and not yet applied. */
    int backlog() {
        return requests.get();
    }
}
