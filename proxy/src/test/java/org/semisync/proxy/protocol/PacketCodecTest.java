package org.semisync.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacketCodecTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new PacketDecoder(), PacketEncoder.INSTANCE);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void decodesPacketsSplitAcrossReadsAndSeveralInOneRead() {
        // COM_QUERY "select 1" (seq 0) followed by a COM_PING (seq 0) in the same bytes, fed in three pieces.
        final byte[] bytes = ByteBufUtil.decodeHexDump("0900000003" + "73656c6563742031" + "010000000e");
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, 2));
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, 2, 10));
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, 12, bytes.length - 12));

        final Packet query = channel.readInbound();
        assertThat(query.sequenceId()).isZero();
        assertThat(query.firstByte()).isEqualTo(Commands.COM_QUERY);
        assertThat(query.payload().toString(1, query.length() - 1, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("select 1");
        query.release();
        final Packet ping = channel.readInbound();
        assertThat(ping.firstByte()).isEqualTo(Commands.COM_PING);
        assertThat(ping.continues()).isFalse();
        ping.release();
    }

    @Test
    void emitsContinuationPacketsOneByOne() {
        final ByteBuf wire = Unpooled.buffer();
        wire.writeMediumLE(Packets.MAX_PAYLOAD).writeByte(3).writeZero(Packets.MAX_PAYLOAD);
        wire.writeMediumLE(2).writeByte(4).writeByte(0xAB).writeByte(0xCD);
        channel.writeInbound(wire);

        final Packet first = channel.readInbound();
        assertThat(first.continues()).isTrue();
        assertThat(first.sequenceId()).isEqualTo(3);
        first.release();
        final Packet last = channel.readInbound();
        assertThat(last.continues()).isFalse();
        assertThat(last.sequenceId()).isEqualTo(4);
        assertThat(ByteBufUtil.hexDump(last.payload())).isEqualTo("abcd");
        last.release();
    }

    @Test
    void encodesASmallPacketAsOneBuffer() {
        final ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {0x0e});
        channel.writeOutbound(new Packet(7, payload));
        final ByteBuf wire = channel.readOutbound();
        assertThat(ByteBufUtil.hexDump(wire)).isEqualTo("010000070e");
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(payload.refCnt()).as("the payload was copied and released").isZero();
        wire.release();
    }

    @Test
    void sendsALargePayloadBehindItsHeaderWithoutCopying() {
        final int length = PacketEncoder.COPY_LIMIT + 1;
        final ByteBuf payload = Unpooled.buffer(length).writeZero(length - 1).writeByte(0x5A);
        channel.writeOutbound(new Packet(2, payload));
        final io.netty.buffer.CompositeByteBuf wire = channel.readOutbound();
        assertThat(wire.numComponents()).isEqualTo(2);
        assertThat(ByteBufUtil.hexDump(wire.component(0))).isEqualTo("01040002");
        assertThat(wire.component(1).unwrap())
                .as("the payload itself, not a copy")
                .isSameAs(payload);
        assertThat(wire.getByte(Packets.HEADER_SIZE + length - 1)).isEqualTo((byte) 0x5A);
        assertThat((Object) channel.readOutbound()).isNull();
        wire.release();
        assertThat(payload.refCnt()).isZero();
    }

    @Test
    void aPayloadBehindHeaderRoomLeavesInItsOwnBufferWithTheHeaderFilledIn() {
        final ByteBuf buffer = Unpooled.buffer().writeZero(Packets.HEADER_SIZE).writeBytes(new byte[] {0x00, 0x0e});
        final Packet packet = Packet.withHeaderRoom(9, buffer);
        assertThat(ByteBufUtil.hexDump(packet.payload())).isEqualTo("000e");
        channel.writeOutbound(packet);
        final ByteBuf wire = channel.readOutbound();
        assertThat(wire).as("no copy").isSameAs(buffer);
        assertThat(ByteBufUtil.hexDump(wire)).isEqualTo("02000009000e");
        assertThat((Object) channel.readOutbound()).isNull();
        wire.release();
        assertThat(buffer.refCnt()).isZero();
    }

    @Test
    void aDecodedPacketIsRelayedAsTheBytesThatCameInWithoutACopy() {
        final ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0900000003" + "73656c6563742031"));
        channel.writeInbound(in.retain());
        final Packet query = channel.readInbound();
        channel.writeOutbound(query);
        final ByteBuf wire = channel.readOutbound();
        assertThat(ByteBufUtil.hexDump(wire)).isEqualTo("0900000003" + "73656c6563742031");
        assertThat(wire.unwrap()).as("a slice of the received buffer").isSameAs(in);
        wire.release();
        assertThat(in.refCnt()).as("only this test's reference is left").isEqualTo(1);
        in.release();
    }

    @Test
    void aReadOnlyReceivedBufferIsNeverWrittenTo() {
        final ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("020000050e01"))
                .asReadOnly();
        channel.writeInbound(in);
        final Packet ping = channel.readInbound();
        channel.writeOutbound(ping);
        final ByteBuf same = channel.readOutbound();
        assertThat(ByteBufUtil.hexDump(same)).isEqualTo("020000050e01");
        same.release();

        final ByteBuf readOnly = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("020000050e01"))
                .asReadOnly();
        channel.writeOutbound(Packet.withHeaderRoom(9, readOnly.retain()));
        final ByteBuf copied = channel.readOutbound();
        assertThat(ByteBufUtil.hexDump(copied)).as("a new header on a copy").isEqualTo("020000090e01");
        copied.release();
        assertThat(ByteBufUtil.hexDump(readOnly, 0, 6)).as("untouched").isEqualTo("020000050e01");
        readOnly.release();
    }

    @Test
    void aDecodedPacketWhosePayloadWasPartlyConsumedIsCopied() {
        channel.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0300000101020a")));
        final Packet packet = channel.readInbound();
        packet.payload().skipBytes(1);
        channel.writeOutbound(packet);
        final ByteBuf wire = channel.readOutbound();
        assertThat(ByteBufUtil.hexDump(wire)).as("the header says what is left").isEqualTo("02000001020a");
        wire.release();
    }

    @Test
    void aPayloadTooLargeForOnePacketFailsTheWriteAndIsReleased() {
        final ByteBuf payload = Unpooled.buffer(Packets.MAX_PAYLOAD + 1).writeZero(Packets.MAX_PAYLOAD + 1);
        final io.netty.channel.ChannelFuture write = channel.writeOneOutbound(new Packet(0, payload));
        channel.flushOutbound();
        assertThat(write.cause()).hasMessageContaining("must be split into continuation packets");
        assertThat(payload.refCnt()).isZero();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void sequenceIdWrapsAt256() {
        final Packet p = new Packet(256 + 5, Unpooled.EMPTY_BUFFER);
        assertThat(p.sequenceId()).isEqualTo(5);
    }

    @Test
    void classifiesResponsePackets() {
        final Packet eof = new Packet(1, Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("fe00000200")));
        final Packet okAsEof = new Packet(1, Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("fe000002000000000000")));
        assertThat(eof.isEof()).isTrue();
        assertThat(okAsEof.isEof()).isFalse();
        assertThat(new Packet(1, Unpooled.EMPTY_BUFFER).firstByte()).isEqualTo(-1);
        eof.release();
        okAsEof.release();
    }

    @Test
    void takeRemainderHandsOverBytesThatFollowASwitchPacket() {
        // an SSL request followed in the same read by the start of a TLS ClientHello
        final byte[] bytes = ByteBufUtil.decodeHexDump("0300000101020316030100");
        final PacketDecoder decoder = channel.pipeline().get(PacketDecoder.class);
        final ByteBuf[] remainder = new ByteBuf[1];
        channel.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(final io.netty.channel.ChannelHandlerContext ctx, final Object msg) {
                ((Packet) msg).release();
                remainder[0] = decoder.takeRemainder();
            }
        });
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        assertThat(ByteBufUtil.hexDump(remainder[0])).isEqualTo("16030100");
        remainder[0].release();
        assertThat((Object) channel.readInbound()).isNull();
    }
}
