package org.semisync.perf.relay;

import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;
import org.semisync.ack.AckTracker;
import org.semisync.proxy.binlog.BinlogRing;
import org.semisync.proxy.binlog.RawEvent;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.replica.DumpStream;

/**
 * Events through the relay: one thread publishes binlog events (row-event sized, every 4th ends a transaction) into
 * the {@link BinlogRing}, as the tail does; two replica readers each take every event by sequence and frame it for
 * semi-sync with {@link DumpStream#fromRing} (copy into a pooled buffer, semi-sync header, ACK flag on transaction
 * ends), as a ring-served replica does. The readers' rate is the relay's events/s per replica; the publisher waits
 * when it is half a ring ahead of the slower reader, so no event is lost.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class RingThroughputBenchmark {
    private static final String FILE = "mysql-bin.000001";

    @Param({"200", "8000"})
    int eventBytes;

    private BinlogRing ring;
    private AckTracker tracker;
    private final AtomicLong published = new AtomicLong(-1);
    private final AtomicLong[] consumed = {new AtomicLong(-1), new AtomicLong(-1)};
    private final AtomicLong nextReader = new AtomicLong();
    private byte[][] templates;
    private long position = 4;

    @Setup(Level.Trial)
    public void start() {
        tracker = AckTracker.builder().build().start();
        ring = new BinlogRing(1 << 14, 64L << 20, (gtid, file, end) -> {});
        templates = new byte[][] {event(0x1E, eventBytes), event(0x10, 31)}; // WRITE_ROWS, XID
    }

    @TearDown(Level.Trial)
    public void stop() {
        ring.close();
        tracker.close();
    }

    /** Per reader thread: its cursor and its own DumpStream. */
    @State(Scope.Thread)
    public static class Reader {
        int index;
        long cursor;
        DumpStream dump;

        @Setup(Level.Trial)
        public void start(final RingThroughputBenchmark bench) {
            index = (int) bench.nextReader.getAndIncrement() % 2;
            dump = new DumpStream("r" + index, true, bench.tracker, PooledByteBufAllocator.DEFAULT, FILE, 4, false, 0);
        }
    }

    @Benchmark
    @Group("relay")
    @GroupThreads(1)
    public void tail(final Control control) {
        final long next = published.get() + 1;
        while (next - Math.min(consumed[0].get(), consumed[1].get()) > ring.size() / 2) {
            if (control.stopMeasurement) {
                return; // the iteration ended while the replicas were behind: they stop too
            }
            Thread.onSpinWait();
        }
        final boolean ends = (next & 3) == 3;
        final byte[] bytes = ends ? templates[1] : templates[0];
        ring.publish(new RawEvent(bytes, FILE, position, "0-1-" + (next >> 2), ends));
        position += bytes.length;
        published.set(next);
    }

    @Benchmark
    @Group("relay")
    @GroupThreads(2)
    public int replica(final Reader reader, final Control control) {
        while (reader.cursor > ring.published()) {
            if (control.stopMeasurement) {
                return 0; // the tail stopped publishing at the end of the iteration
            }
            Thread.onSpinWait();
        }
        final List<Packet> packets = reader.dump.fromRing(
                ring.read(reader.cursor), ring.newestTransactionEnd() > reader.cursor); // as RingFeed asks
        int bytes = 0;
        for (Packet p : packets) {
            bytes += p.length();
            p.release();
        }
        consumed[reader.index].set(reader.cursor++);
        return bytes;
    }

    private static byte[] event(final int type, final int size) {
        final byte[] e = new byte[size];
        e[4] = (byte) type;
        e[5] = 1; // server_id 1
        e[9] = (byte) size;
        e[10] = (byte) (size >>> 8);
        e[11] = (byte) (size >>> 16);
        return e;
    }
}
