package org.semisync.ack;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The tracker thread's wait: right after an input it spins briefly, then parks until a producer unparks it or the
 * timeout passes (which drives the tracker's timeouts). Inputs come in bursts (a commit's registration, its binlog
 * report, the replicas' ACKs), and each wake-up from park costs a futex call on both sides; a spinning consumer takes
 * none. When idle — the previous wait timed out — it parks at once, so an idle tracker costs only its ticks.
 *
 * <p>No yield phase: on this 2-core machine under load, a yielding tracker lost its core for milliseconds at a time
 * (ACK-to-callback p50 175 µs against 25-45 µs when parked; SUMMARY.md in perf/results/ack-tracker).
 *
 * <p>Producers pay a volatile read per publish ({@link #signalAllWhenBlocking}) and an unpark only when the consumer
 * is parked. Single consumer only.
 */
final class SpinThenParkWaitStrategy implements WaitStrategy {
    private final long spinNanos;
    private final long timeoutNanos;
    /** Set by the consumer before its last look at the cursor and parking; cleared by the producer that unparks. */
    private final AtomicBoolean parked = new AtomicBoolean();

    private volatile Thread consumer;
    /** Consumer thread only: the previous wait timed out, so no input is expected soon. */
    private boolean idle;

    SpinThenParkWaitStrategy(final long spinNanos, final long timeoutNanos) {
        this.spinNanos = spinNanos;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public long waitFor(
            final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        long available = dependentSequence.get();
        if (available >= sequence) {
            idle = false;
            return available;
        }
        final long start = System.nanoTime();
        if (!idle) {
            do {
                barrier.checkAlert();
                Thread.onSpinWait();
                if ((available = dependentSequence.get()) >= sequence) {
                    return available;
                }
            } while (System.nanoTime() - start < spinNanos);
        }
        available = park(sequence, dependentSequence, barrier, start + timeoutNanos);
        idle = false;
        return available;
    }

    private long park(
            final long sequence, final Sequence dependentSequence, final SequenceBarrier barrier, final long deadline)
            throws AlertException, InterruptedException, TimeoutException {
        if (consumer == null) {
            consumer = Thread.currentThread();
        }
        try {
            while (true) {
                // Set the flag, then look at the cursor; a producer publishes, then reads the flag (both volatile):
                // either we see its event or it sees the flag and unparks us. The same for the alert of halt().
                parked.set(true);
                barrier.checkAlert();
                final long available = dependentSequence.get();
                if (available >= sequence) {
                    return available;
                }
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    idle = true;
                    throw TimeoutException.INSTANCE;
                }
                LockSupport.parkNanos(this, remaining);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            parked.set(false);
        }
    }

    @Override
    public void signalAllWhenBlocking() {
        if (parked.get() && parked.getAndSet(false)) {
            LockSupport.unpark(consumer);
        }
    }

    @Override
    public String toString() {
        return "SpinThenParkWaitStrategy{spin " + spinNanos + " ns, timeout " + timeoutNanos + " ns}";
    }
}
