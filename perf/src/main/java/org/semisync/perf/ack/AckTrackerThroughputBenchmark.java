package org.semisync.perf.ack;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.CommitListener;

/**
 * Waiter register-and-release throughput: each operation registers one commit; every 64th also acknowledges the
 * newest position, releasing the waiters before it. Run with {@code -t 1}, {@code -t 8}, {@code -t 64}: inputs are
 * applied by the producers themselves, one at a time, so with many producers the steady state is the rate of the
 * single writer (whichever producer drains) plus the contention on the queue.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class AckTrackerThroughputBenchmark {
    private static final String FILE = "mysql-bin.000001";

    private AckTracker tracker;
    private final AtomicLong offset = new AtomicLong(4);
    private final LongAdder released = new LongAdder();
    private CommitListener listener;

    @Setup(Level.Trial)
    public void start() {
        tracker = AckTracker.builder().build().start();
        tracker.replicaConnected("r1", new BinlogPosition(FILE, 4));
        listener = (outcome, nanos) -> released.increment();
    }

    @TearDown(Level.Trial)
    public void stop() {
        tracker.ack("r1", new BinlogPosition(FILE, offset.get()));
        tracker.close();
        System.out.println("released " + released.sum() + ", status "
                + tracker.status().yesTx() + " yes / " + tracker.status().noTx() + " no");
    }

    @Benchmark
    public void registerAndRelease() {
        final long end = offset.addAndGet(100);
        final BinlogPosition position = new BinlogPosition(FILE, end);
        tracker.awaitPosition(position, Runnable::run, listener);
        if ((end / 100 & 63) == 0) {
            tracker.ack("r1", position);
        }
    }
}
