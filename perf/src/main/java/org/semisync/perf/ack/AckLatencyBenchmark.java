package org.semisync.perf.ack;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

/**
 * ACK-to-callback latency: a commit is registered and acknowledged; the time measured runs from the ACK being
 * handed to the tracker until the release callback has run (sample mode gives p50/p99). The callback's executor is
 * direct, so this is the tracker's own latency; in the proxy the callback is then queued on the client's event loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class AckLatencyBenchmark {
    private static final String FILE = "mysql-bin.000001";

    private AckTracker tracker;
    private long offset = 4;
    private final AtomicBoolean done = new AtomicBoolean();
    private BinlogPosition pending;

    @Setup(Level.Trial)
    public void start() {
        tracker = AckTracker.builder().build().start();
        tracker.replicaConnected("r1", new BinlogPosition(FILE, 4));
    }

    @TearDown(Level.Trial)
    public void stop() {
        tracker.close();
    }

    @Setup(Level.Invocation)
    public void register() throws InterruptedException {
        offset += 100;
        pending = new BinlogPosition(FILE, offset);
        done.set(false);
        // applied on this thread before the call returns, so only the ACK path is measured
        tracker.awaitPosition(pending, Runnable::run, (outcome, nanos) -> done.set(true));
        // the replica's round trip (on JDK 17 this sleeps 1 ms): the ACK finds caches as cold as in the proxy
        Thread.sleep(0, 50_000);
    }

    @Benchmark
    public boolean ackToCallback() {
        tracker.ack("r1", pending);
        while (!done.get()) {
            Thread.onSpinWait();
        }
        return true;
    }
}
