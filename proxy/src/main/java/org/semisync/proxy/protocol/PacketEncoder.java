package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link Packet}s as header + payload, copying only small payloads. The caller is responsible for splitting
 * logical packets of 16 MiB or more ({@link Packets#MAX_PAYLOAD}) into several wire packets.
 */
@ChannelHandler.Sharable
public final class PacketEncoder extends MessageToMessageEncoder<Packet> {
    /** Payloads up to this size are copied behind their header; larger ones are sent as they are. */
    static final int COPY_LIMIT = 1024;

    /** One instance serves every channel. */
    public static final PacketEncoder INSTANCE = new PacketEncoder();

    private PacketEncoder() {
        super(Packet.class);
    }

    @Override
    protected void encode(final ChannelHandlerContext ctx, final Packet packet, final List<Object> out) {
        final ByteBuf payload = packet.payload();
        if (payload.readableBytes() > Packets.MAX_PAYLOAD) {
            throw new IllegalArgumentException(
                    "payload of " + payload.readableBytes() + " bytes must be split into continuation packets");
        }
        final int length = payload.readableBytes();
        final ByteBuf roomy = packet.bufferWithHeaderRoom();
        if (roomy != null) {
            // the payload already sits behind room for its header: fill it in and send the buffer as it is
            final int at = roomy.readerIndex();
            roomy.setMediumLE(at, length).setByte(at + 3, packet.sequenceId());
            out.add(roomy.retain());
            return;
        }
        if (length <= COPY_LIMIT) {
            // most packets (statements, OKs, small rows, ACKs): one buffer and one iovec beat a second allocation
            out.add(ctx.alloc()
                    .ioBuffer(Packets.HEADER_SIZE + length)
                    .writeMediumLE(length)
                    .writeByte(packet.sequenceId())
                    .writeBytes(payload, payload.readerIndex(), length));
            return;
        }
        final ByteBuf header = ctx.alloc().ioBuffer(Packets.HEADER_SIZE);
        header.writeMediumLE(length).writeByte(packet.sequenceId());
        out.add(header);
        out.add(payload.retain());
    }
}
