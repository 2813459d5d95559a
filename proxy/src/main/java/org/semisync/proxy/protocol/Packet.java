package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One wire packet: its sequence id and its payload (without the 4-byte header). A logical packet larger than
 * {@link Packets#MAX_PAYLOAD} arrives as several of these; {@link #continues()} tells that another one follows.
 * Reference counted: whoever ends up holding it releases it.
 */
public final class Packet extends DefaultByteBufHolder {
    private final int sequenceId;
    /** The payload's buffer with {@link Packets#HEADER_SIZE} bytes of room in front of it, or null. */
    private final ByteBuf withHeaderRoom;

    public Packet(final int sequenceId, final ByteBuf payload) {
        this(sequenceId, payload, null);
    }

    private Packet(final int sequenceId, final ByteBuf payload, final ByteBuf withHeaderRoom) {
        super(payload);
        this.sequenceId = sequenceId & 0xFF;
        this.withHeaderRoom = withHeaderRoom;
    }

    /**
     * A packet whose payload follows {@link Packets#HEADER_SIZE} bytes left free in {@code buffer} (from its reader
     * index), so that {@link PacketEncoder} writes the header there and sends the buffer without copying the payload.
     * Takes ownership of {@code buffer}.
     */
    public static Packet withHeaderRoom(final int sequenceId, final ByteBuf buffer) {
        final ByteBuf payload =
                buffer.slice(buffer.readerIndex() + Packets.HEADER_SIZE, buffer.readableBytes() - Packets.HEADER_SIZE);
        return new Packet(sequenceId, payload, buffer);
    }

    /**
     * The buffer holding header room and payload ({@link #withHeaderRoom}), or null: also when the payload no longer
     * fills it (someone consumed bytes of it). Shares this packet's count.
     */
    ByteBuf bufferWithHeaderRoom() {
        final ByteBuf payload = content();
        final boolean whole = withHeaderRoom != null
                && payload.readerIndex() == 0
                && payload.readableBytes() == withHeaderRoom.readableBytes() - Packets.HEADER_SIZE;
        return whole ? withHeaderRoom : null;
    }

    /** The sequence id from the header (0..255). */
    public int sequenceId() {
        return sequenceId;
    }

    /** The payload; its reader index is at the first payload byte. */
    public ByteBuf payload() {
        return content();
    }

    /** Payload length in bytes. */
    public int length() {
        return content().readableBytes();
    }

    /** Whether the logical packet continues in the next wire packet (payload of exactly 16 MiB - 1). */
    public boolean continues() {
        return content().readableBytes() == Packets.MAX_PAYLOAD;
    }

    /** The first payload byte, or -1 for an empty payload; does not move the reader index. */
    public int firstByte() {
        final ByteBuf p = content();
        return p.isReadable() ? p.getUnsignedByte(p.readerIndex()) : -1;
    }

    /** Whether this is an OK packet (0x00 marker; only meaningful where an OK may arrive). */
    public boolean isOk() {
        return firstByte() == Packets.OK;
    }

    /** Whether this is an ERR packet. */
    public boolean isErr() {
        return firstByte() == Packets.ERR;
    }

    /** Whether this is an EOF packet (0xFE marker and short), as opposed to an OK-as-EOF or a row. */
    public boolean isEof() {
        return firstByte() == Packets.EOF && length() < Packets.EOF_MAX_LENGTH;
    }

    @Override
    public Packet replace(final ByteBuf content) {
        // a replaced payload no longer sits behind the header room
        return new Packet(sequenceId, content);
    }

    @Override
    public Packet retain() {
        super.retain();
        return this;
    }

    @Override
    public Packet retain(final int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public Packet touch(final Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "Packet(seq=" + sequenceId + ", length=" + length() + ")";
    }
}
