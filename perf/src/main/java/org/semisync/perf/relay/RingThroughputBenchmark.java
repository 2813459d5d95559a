package org.semisync.perf.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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
import org.semisync.proxy.replica.DumpStream;
import org.semisync.proxy.replica.RingFeed;

/**
 * Events through the relay: one thread publishes binlog events (row-event sized, every 4th ends a transaction) into
 * the {@link BinlogRing}, as the tail does; two replica readers each take every event by sequence and frame it for
 * semi-sync with {@link DumpStream#appendFromRing} (copied from the ring's array into a 32 KiB batch behind its packet
 * and semi-sync headers, ACK flag on transaction ends), as a ring-served replica does. The readers' rate is the
 * relay's events/s per replica; the publisher waits when it is half a ring ahead of the slower reader, so no event is
 * lost.
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

    /** Per reader thread: its cursor, its own DumpStream and its batch. */
    @State(Scope.Thread)
    public static class Reader {
        int index;
        long cursor;
        DumpStream dump;
        ByteBuf batch;

        @Setup(Level.Trial)
        public void start(final RingThroughputBenchmark bench) {
            index = (int) bench.nextReader.getAndIncrement() % 2;
            dump = new DumpStream("r" + index, true, bench.tracker, PooledByteBufAllocator.DEFAULT, FILE, 4, false, 0);
            batch = PooledByteBufAllocator.DEFAULT.ioBuffer(RingFeed.BATCH_BYTES, RingFeed.BATCH_BYTES);
        }

        @TearDown(Level.Trial)
        public void stop() {
            batch.release();
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
        // as RingFeed does: appended to the batch, which goes out (here: is released) when full
        final boolean laterEndFollows = ring.newestTransactionEnd() > reader.cursor;
        int sent = 0;
        int appended = reader.dump.appendFromRing(ring, reader.cursor, laterEndFollows, reader.batch);
        if (appended == BinlogRing.NO_ROOM) {
            sent = reader.batch.readableBytes();
            reader.batch.release();
            reader.batch = PooledByteBufAllocator.DEFAULT.ioBuffer(RingFeed.BATCH_BYTES, RingFeed.BATCH_BYTES);
            appended = reader.dump.appendFromRing(ring, reader.cursor, laterEndFollows, reader.batch);
        }
        if (appended < 0) {
            throw new IllegalStateException("event " + reader.cursor + " left the ring under its reader");
        }
        consumed[reader.index].set(reader.cursor++);
        return sent;
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
