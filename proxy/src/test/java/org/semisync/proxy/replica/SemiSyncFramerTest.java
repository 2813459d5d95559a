package org.semisync.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.PacketEncoder;
import org.semisync.proxy.protocol.Packets;

class SemiSyncFramerTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(PacketEncoder.INSTANCE);

    @AfterEach
    void close() {
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    /** The five events of one INSERT, framed as a real MariaDB master framed them (XID flagged, seq 1..5). */
    @Test
    void reproducesTheCapturedTransactionByteForByte() {
        final byte[] wire = Fixtures.bytes("insert_transaction_stream");
        final List<byte[]> captured = Fixtures.packets(wire);
        assertThat(captured).hasSize(5);
        final SemiSyncFramer framer = new SemiSyncFramer(true, 1);
        for (int i = 0; i < captured.size(); i++) {
            final byte[] payload = Fixtures.payload(captured.get(i));
            final byte[] event = Arrays.copyOfRange(payload, 3, payload.length);
            final boolean last = i == captured.size() - 1;
            writeAll(framer.frame(channel.alloc(), event, last));
        }
        assertThat(readWire()).isEqualTo(wire);
    }

    @Test
    void sequenceRestartsAtOneAfterAFlaggedEvent() {
        final SemiSyncFramer framer = new SemiSyncFramer(true, 7);
        final byte[] event = new byte[30];
        assertSequenceIds(framer.frame(channel.alloc(), event, false), 7);
        assertSequenceIds(framer.frame(channel.alloc(), event, true), 8);
        assertThat(framer.nextSequenceId()).isEqualTo(1);
        assertSequenceIds(framer.frame(channel.alloc(), event, false), 1);
        assertThat(framer.nextSequenceId()).isEqualTo(2);
    }

    @Test
    void withoutSemiSyncTheFlagIsIgnoredAndNoHeaderIsWritten() {
        final SemiSyncFramer framer = new SemiSyncFramer(false, 255);
        final byte[] event = {1, 2, 3};
        final List<Packet> packets = framer.frame(channel.alloc(), event, true);
        assertThat(packets).hasSize(1);
        assertThat(packets.get(0).sequenceId()).isEqualTo(255);
        assertThat(ByteBufUtil.getBytes(packets.get(0).payload())).containsExactly(0, 1, 2, 3);
        packets.forEach(Packet::release);
        // the counter wraps and is not reset: without semi-sync no ACK interleaves
        assertThat(framer.nextSequenceId()).isZero();
    }

    /** An event filling exactly one packet needs an empty continuation packet to say it ended. */
    @Test
    void splitsBigEventsIntoContinuationPackets() {
        final SemiSyncFramer framer = new SemiSyncFramer(true, 1);
        final byte[] exact = new byte[Packets.MAX_PAYLOAD - 3];
        exact[exact.length - 1] = 42;
        final List<Packet> packets = framer.frame(channel.alloc(), exact, true);
        assertThat(packets).extracting(Packet::length).containsExactly(Packets.MAX_PAYLOAD, 0);
        assertThat(packets).extracting(Packet::sequenceId).containsExactly(1, 2);
        assertThat(packets.get(0).payload().getByte(Packets.MAX_PAYLOAD - 1)).isEqualTo((byte) 42);
        packets.forEach(Packet::release);
        assertThat(framer.nextSequenceId()).isEqualTo(1);

        final byte[] big = new byte[20 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        final List<Packet> split = framer.frame(channel.alloc(), big, false);
        assertThat(split).extracting(Packet::sequenceId).containsExactly(1, 2);
        assertThat(split.get(0).length()).isEqualTo(Packets.MAX_PAYLOAD);
        assertThat(split.get(1).length()).isEqualTo(big.length + 3 - Packets.MAX_PAYLOAD);
        final ByteBuf joined = channel.alloc().buffer();
        split.forEach(p -> joined.writeBytes(p.payload()));
        split.forEach(Packet::release);
        final byte[] reassembled = ByteBufUtil.getBytes(joined);
        joined.release();
        assertThat(Arrays.copyOfRange(reassembled, 0, 3)).containsExactly(0x00, 0xEF, 0x00);
        assertThat(Arrays.equals(reassembled, 3, reassembled.length, big, 0, big.length))
                .isTrue();
    }

    private void assertSequenceIds(final List<Packet> packets, final int... ids) {
        assertThat(packets)
                .extracting(Packet::sequenceId)
                .containsExactly(Arrays.stream(ids).boxed().toArray(Integer[]::new));
        packets.forEach(Packet::release);
    }

    private void writeAll(final List<Packet> packets) {
        packets.forEach(channel::writeOutbound);
    }

    private byte[] readWire() {
        final ByteBuf all = channel.alloc().buffer();
        ByteBuf part;
        while ((part = channel.readOutbound()) != null) {
            all.writeBytes(part);
            part.release();
        }
        final byte[] bytes = ByteBufUtil.getBytes(all);
        all.release();
        return bytes;
    }
}
