package org.semisync.perf.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.PacketDecoder;
import org.semisync.proxy.protocol.PacketEncoder;

/**
 * One packet relayed through the proxy's codec, as a statement or its OK is between client and master: its bytes
 * arrive in a receive buffer, {@link PacketDecoder} cuts the packet out, and {@link PacketEncoder} writes it to the
 * other side's channel. Each side is an {@link EmbeddedChannel}, whose own cost is part of the figure; what differs
 * between codecs is the allocation and copy per packet ({@code -prof gc} shows the bytes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class PacketRelayBenchmark {
    /** A COM_STMT_EXECUTE of sysbench's size, a small row, and a row past the copy limit of built packets. */
    @Param({"60", "600", "4000"})
    int payloadBytes;

    private EmbeddedChannel received;
    private EmbeddedChannel sent;
    private byte[] wire;

    @Setup
    public void start() {
        received = new EmbeddedChannel(new PacketDecoder());
        sent = new EmbeddedChannel(PacketEncoder.INSTANCE);
        wire = new byte[4 + payloadBytes];
        wire[0] = (byte) payloadBytes;
        wire[1] = (byte) (payloadBytes >> 8);
        wire[4] = 0x17; // COM_STMT_EXECUTE
    }

    @TearDown
    public void stop() {
        received.finishAndReleaseAll();
        sent.finishAndReleaseAll();
    }

    @Benchmark
    public int relay() {
        // what a socket read hands the pipeline: a direct buffer from the channel's allocator
        final ByteBuf read = ByteBufAllocator.DEFAULT.directBuffer(wire.length).writeBytes(wire);
        received.writeInbound(read);
        final Packet packet = received.readInbound();
        sent.writeOutbound(packet);
        int bytes = 0;
        for (ByteBuf out = sent.readOutbound(); out != null; out = sent.readOutbound()) {
            bytes += out.readableBytes(); // a codec may write header and payload as two buffers
            out.release();
        }
        return bytes;
    }
}
