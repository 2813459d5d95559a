package org.semisync.ack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tracker's inputs in arrival order: an unbounded multi-producer, single-consumer linked queue whose nodes are the
 * inputs themselves (Dmitry Vyukov's intrusive MPSC queue). Offering is one atomic swap and never blocks or fails, so
 * a thread that drains may itself offer (a release callback run inline) without a deadlock on a full ring.
 *
 * <p>An offer is visible to {@link #poll()} only once the producer has linked it: between its swap and its link a
 * poll sees the queue end early. The tracker copes because every producer offers before it asks to drain.
 */
final class InputQueue {
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(TrackerEvent.class, "next", TrackerEvent.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The last input offered; producers swap themselves in. */
    private final AtomicReference<TrackerEvent> tail;
    /** The input polled last (or the initial stub): its {@code next} is the oldest one not polled. Consumer only. */
    private TrackerEvent head;

    InputQueue() {
        final TrackerEvent stub = new TrackerEvent(null, null, null, null, null, null, null);
        head = stub;
        tail = new AtomicReference<>(stub);
    }

    /** Any thread. */
    void offer(final TrackerEvent input) {
        final TrackerEvent previous = tail.getAndSet(input);
        NEXT.setRelease(previous, input);
    }

    /** The oldest linked input, or null; one thread at a time. */
    TrackerEvent poll() {
        final TrackerEvent next = (TrackerEvent) NEXT.getAcquire(head);
        if (next == null) {
            return null;
        }
        // the polled input becomes the new stub; unlink the old one, which may be a waiter held for seconds and must
        // not keep every later input reachable (no producer writes to it any more: it is not the tail)
        head.next = null;
        head = next;
        return next;
    }
}
