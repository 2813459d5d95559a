package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * An ERR packet: {@code [0xFF][error code u16]['#' + 5-byte SQL state][message]}. The SQL state marker exists only
 * under CLIENT_PROTOCOL_41, which every client this proxy serves negotiates.
 */
public record ErrPacket(int errorCode, String sqlState, String message) {
    /** Client-side "Can't connect to MySQL server" code; sent when the master cannot be reached. */
    public static final int CR_CONN_HOST_ERROR = 2003;

    /** Generic unknown error (ER_UNKNOWN_ERROR). */
    public static final int ER_UNKNOWN_ERROR = 1105;

    /** The command is not supported (ER_UNKNOWN_COM_ERROR). */
    public static final int ER_UNKNOWN_COM_ERROR = 1047;

    /** ER_NET_READ_INTERRUPTED / handshake timeout. */
    public static final int ER_HANDSHAKE_ERROR = 1043;

    public ErrPacket {
        if (sqlState == null || sqlState.length() != 5) {
            throw new IllegalArgumentException("SQL state must have 5 characters: " + sqlState);
        }
    }

    /** Parses an ERR payload; the reader index is left unchanged. */
    public static ErrPacket parse(final ByteBuf payload) {
        final ByteBuf p = payload.duplicate();
        if (p.readableBytes() < 3 || p.readUnsignedByte() != Packets.ERR) {
            throw new MalformedPacketException("not an ERR packet");
        }
        final int code = p.readUnsignedShortLE();
        String state = "HY000";
        if (p.isReadable() && p.getByte(p.readerIndex()) == '#') {
            if (p.readableBytes() < 6) {
                throw new MalformedPacketException("ERR packet with a truncated SQL state");
            }
            p.skipBytes(1);
            state = p.readCharSequence(5, StandardCharsets.US_ASCII).toString();
        }
        return new ErrPacket(code, state, p.toString(StandardCharsets.UTF_8));
    }

    /** Encodes the payload (no header). */
    public ByteBuf encode(final ByteBufAllocator alloc) {
        final byte[] text = message.getBytes(StandardCharsets.UTF_8);
        final ByteBuf buf = alloc.buffer(9 + text.length);
        buf.writeByte(Packets.ERR).writeShortLE(errorCode).writeByte('#');
        buf.writeCharSequence(sqlState, StandardCharsets.US_ASCII);
        buf.writeBytes(text);
        return buf;
    }

    /** Encodes as a {@link Packet} with the given sequence id. */
    public Packet toPacket(final ByteBufAllocator alloc, final int sequenceId) {
        return new Packet(sequenceId, encode(alloc));
    }
}
