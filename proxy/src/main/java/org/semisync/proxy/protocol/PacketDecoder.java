package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into {@link Packet}s (3-byte little-endian length, sequence id, payload). Packets are
 * zero-copy slices of the received buffers, header included, so that {@link PacketEncoder} relays them without a
 * copy. Continuation packets of a large logical packet are emitted one by one, so a 20 MiB BLOB never has to sit in
 * memory whole.
 */
public final class PacketDecoder extends ByteToMessageDecoder {
    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) {
        // One packet per call: ByteToMessageDecoder fires it before decoding the next, so a handler can switch
        // protocols (TLS after an SSL request) and take the bytes that follow with takeRemainder().
        if (in.readableBytes() < Packets.HEADER_SIZE) {
            return;
        }
        final int start = in.readerIndex();
        final int length = in.getUnsignedMediumLE(start);
        if (in.readableBytes() < Packets.HEADER_SIZE + length) {
            return;
        }
        final int sequenceId = in.getUnsignedByte(start + 3);
        // the packet keeps its header in front of it: relayed unchanged, it leaves as the bytes that came in
        final ByteBuf frame = in.retainedSlice(start, Packets.HEADER_SIZE + length);
        in.readerIndex(start + Packets.HEADER_SIZE + length);
        out.add(Packet.withHeaderRoom(sequenceId, frame));
    }

    /**
     * Removes and returns the bytes received but not yet decoded (for example a TLS ClientHello that arrived in the
     * same read as the SSL request), or {@code null} when there are none. The caller owns the returned buffer.
     */
    public ByteBuf takeRemainder() {
        final ByteBuf buffer = internalBuffer();
        return buffer.isReadable() ? buffer.readRetainedSlice(buffer.readableBytes()) : null;
    }
}
