package org.semisync.perf.ack;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.CommitListener;

/**
 * What the tracker costs at a given commit rate, and the ACK-to-callback latency at that rate: one driver thread
 * registers a commit, waits {@code gapMicros} (the replica's round trip), acknowledges it and waits for the callback,
 * then sleeps until the next commit is due. The tracker has no thread of its own (inputs are applied by the thread
 * that hands them in), so the CPU reported is the driver thread's, as % of one core: tracker work plus the driver's
 * own loop, an upper bound for the tracker.
 *
 * <pre>
 * java -cp perf/target/benchmarks.jar org.semisync.perf.ack.AckTrackerCpu [seconds=5] [gapMicros=200] [rates=0,100,1000,10000,max]
 * </pre>
 */
public final class AckTrackerCpu {
    private static final String FILE = "mysql-bin.000001";

    private AckTrackerCpu() {}

    public static void main(final String[] args) throws InterruptedException {
        final int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        final long gapNanos = TimeUnit.MICROSECONDS.toNanos(args.length > 1 ? Long.parseLong(args[1]) : 200);
        final String rates = args.length > 2 ? args[2] : "0,100,1000,10000,max";
        final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (AckTracker tracker = AckTracker.builder().build().start()) {
            tracker.replicaConnected("r1", new BinlogPosition(FILE, 4));
            final Thread trackerThread = Thread.currentThread();
            long offset = 4;
            System.out.printf(
                    "%8s %10s %12s %10s %10s %10s%n", "rate/s", "commits", "caller-cpu", "p50-us", "p99-us", "max-us");
            for (String r : rates.split(",")) {
                if (r.trim().equals("max")) {
                    offset = flood(tracker, mx, trackerThread, offset, seconds);
                    continue;
                }
                final int rate = Integer.parseInt(r.trim());
                final long cpu0 = mx.getThreadCpuTime(trackerThread.getId());
                final long t0 = System.nanoTime();
                final long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
                final long[] latencies = new long[rate * seconds + 1];
                int n = 0;
                long next = t0;
                while (System.nanoTime() < end) {
                    if (rate == 0) {
                        Thread.sleep(100);
                        continue;
                    }
                    offset += 100;
                    latencies[n++] = commit(tracker, new BinlogPosition(FILE, offset), gapNanos);
                    next += 1_000_000_000L / rate;
                    final long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (n == latencies.length) {
                        break;
                    }
                }
                final long wall = System.nanoTime() - t0;
                final long cpu = mx.getThreadCpuTime(trackerThread.getId()) - cpu0;
                final long[] sorted = Arrays.copyOf(latencies, n);
                Arrays.sort(sorted);
                System.out.printf(
                        "%8d %10d %11.2f%% %10s %10s %10s%n",
                        rate, n, 100.0 * cpu / wall, micros(sorted, 0.50), micros(sorted, 0.99), micros(sorted, 1.0));
            }
        }
    }

    /**
     * As many commits as one thread can register in {@code seconds}, every 64th acknowledged (the JMH throughput
     * benchmark's load): the driver's CPU time per release is the tracker's cost (registration, ACK, release).
     */
    private static long flood(
            final AckTracker tracker,
            final ThreadMXBean mx,
            final Thread trackerThread,
            final long startOffset,
            final int seconds) {
        final LongAdder released = new LongAdder();
        final CommitListener listener = (outcome, nanos) -> released.increment();
        final long cpu0 = mx.getThreadCpuTime(trackerThread.getId());
        final long t0 = System.nanoTime();
        final long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
        long offset = startOffset;
        long n = 0;
        while ((n & 1023) != 0 || System.nanoTime() < end) {
            offset += 100;
            final BinlogPosition position = new BinlogPosition(FILE, offset);
            tracker.awaitPosition(position, Runnable::run, listener);
            if ((++n & 63) == 0) {
                tracker.ack("r1", position);
            }
        }
        tracker.ack("r1", new BinlogPosition(FILE, offset));
        while (released.sum() < n) {
            Thread.onSpinWait();
        }
        final long wall = System.nanoTime() - t0;
        final long cpu = mx.getThreadCpuTime(trackerThread.getId()) - cpu0;
        System.out.printf(
                "%8s %10d %11.2f%% %8.2f M/s wall, %.0f ns CPU per release (%.2f M/s per core)%n",
                "max", n, 100.0 * cpu / wall, n * 1e3 / wall, (double) cpu / n, n * 1e3 / cpu);
        return offset;
    }

    /** Registers a commit at {@code end}, waits {@code gapNanos}, ACKs it; returns ns from the ACK to the callback. */
    private static long commit(final AckTracker tracker, final BinlogPosition end, final long gapNanos) {
        final AtomicBoolean done = new AtomicBoolean();
        tracker.awaitPosition(end, Runnable::run, (outcome, nanos) -> done.set(true));
        LockSupport.parkNanos(gapNanos);
        final long acked = System.nanoTime();
        tracker.ack("r1", end);
        while (!done.get()) {
            Thread.onSpinWait();
        }
        return System.nanoTime() - acked;
    }

    private static String micros(final long[] sorted, final double q) {
        if (sorted.length == 0) {
            return "-";
        }
        final int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return String.format("%.1f", sorted[Math.max(0, i)] / 1000.0);
    }
}
