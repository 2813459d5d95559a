package org.semisync.proxy.cli;

import java.util.Arrays;
import org.semisync.ack.ReleaseObserver;
import org.semisync.ack.ReleaseOutcome;

/**
 * The demo's view of how long acknowledged commits waited since the last status line: the tracker thread records,
 * the status printer drains every few seconds and reads percentiles.
 */
final class WaitWindow implements ReleaseObserver {
    /** Percentiles of one drained window, in microseconds. */
    record Summary(int commits, long p50Micros, long p99Micros) {}

    private long[] waits = new long[1024];
    private int size;

    @Override
    public synchronized void released(final ReleaseOutcome outcome, final long waitedNanos) {
        if (outcome != ReleaseOutcome.ACKNOWLEDGED) {
            return;
        }
        if (size == waits.length) {
            waits = Arrays.copyOf(waits, size * 2);
        }
        waits[size++] = waitedNanos / 1000;
    }

    /** The waits since the previous call, summarised; the window starts afresh. */
    Summary drain() {
        final long[] copy;
        synchronized (this) {
            copy = Arrays.copyOf(waits, size);
            size = 0;
        }
        if (copy.length == 0) {
            return new Summary(0, 0, 0);
        }
        Arrays.sort(copy);
        return new Summary(copy.length, copy[(copy.length - 1) / 2], copy[(int) Math.ceil(copy.length * 0.99) - 1]);
    }
}
