package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into {@link Packet}s (3-byte little-endian length, sequence id, payload). Payloads are
 * zero-copy slices of the received buffers. Continuation packets of a large logical packet are emitted one by one,
 * so a 20 MiB BLOB never has to sit in memory whole.
 */
public final class PacketDecoder extends ByteToMessageDecoder {
    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) {
        while (in.readableBytes() >= Packets.HEADER_SIZE) {
            final int start = in.readerIndex();
            final int length = in.getUnsignedMediumLE(start);
            if (in.readableBytes() < Packets.HEADER_SIZE + length) {
                return;
            }
            final int sequenceId = in.getUnsignedByte(start + 3);
            final ByteBuf payload = in.retainedSlice(start + Packets.HEADER_SIZE, length);
            in.readerIndex(start + Packets.HEADER_SIZE + length);
            out.add(new Packet(sequenceId, payload));
        }
    }
}
