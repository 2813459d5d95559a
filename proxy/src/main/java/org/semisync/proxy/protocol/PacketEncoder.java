package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;

/**
 * Writes {@link Packet}s as header + payload; other messages (buffers) pass as they are. A packet that still sits
 * behind its header (every packet read from the wire, see {@link PacketDecoder}) leaves in its own buffer, without a
 * copy; of the others, small payloads are copied behind a new header. Each packet becomes one outbound message, so
 * the caller's promise needs no combining. The caller is responsible for splitting logical packets of 16 MiB or more
 * ({@link Packets#MAX_PAYLOAD}) into several wire packets.
 */
@ChannelHandler.Sharable
public final class PacketEncoder extends ChannelOutboundHandlerAdapter {
    /** Payloads up to this size are copied behind their header; larger ones are sent as they are. */
    static final int COPY_LIMIT = 1024;

    /** One instance serves every channel. */
    public static final PacketEncoder INSTANCE = new PacketEncoder();

    private PacketEncoder() {}

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise) {
        if (!(msg instanceof Packet packet)) {
            ctx.write(msg, promise);
            return;
        }
        final ByteBuf wire;
        try {
            wire = encode(ctx, packet);
        } catch (RuntimeException e) {
            promise.setFailure(e instanceof EncoderException ? e : new EncoderException(e));
            return;
        } finally {
            packet.release();
        }
        ctx.write(wire, promise);
    }

    /** The packet's bytes on the wire, in a buffer the caller owns; the packet stays the caller's. */
    private static ByteBuf encode(final ChannelHandlerContext ctx, final Packet packet) {
        final ByteBuf payload = packet.payload();
        final int length = payload.readableBytes();
        if (length > Packets.MAX_PAYLOAD) {
            throw new EncoderException("payload of " + length + " bytes must be split into continuation packets");
        }
        final ByteBuf roomy = packet.bufferWithHeaderRoom();
        if (roomy != null) {
            final int at = roomy.readerIndex();
            if (roomy.getUnsignedMediumLE(at) == length && roomy.getUnsignedByte(at + 3) == packet.sequenceId()) {
                return roomy.retain(); // relayed as received: the header is there already, received memory untouched
            }
            if (!roomy.isReadOnly()) {
                roomy.setMediumLE(at, length).setByte(at + 3, packet.sequenceId());
                return roomy.retain();
            }
        }
        if (length <= COPY_LIMIT) {
            // statements, OKs, small rows, ACKs built by the proxy: one buffer and one iovec beat a second allocation
            return ctx.alloc()
                    .ioBuffer(Packets.HEADER_SIZE + length)
                    .writeMediumLE(length)
                    .writeByte(packet.sequenceId())
                    .writeBytes(payload, payload.readerIndex(), length);
        }
        final ByteBuf header = ctx.alloc().ioBuffer(Packets.HEADER_SIZE);
        header.writeMediumLE(length).writeByte(packet.sequenceId());
        return ctx.alloc().compositeDirectBuffer(2).addComponent(true, header).addComponent(true, payload.retain());
    }
}
