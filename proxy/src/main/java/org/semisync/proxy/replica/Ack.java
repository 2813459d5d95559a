package org.semisync.proxy.replica;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.semisync.proxy.protocol.MalformedPacketException;

/**
 * A semi-sync ACK from a replica: {@code [EF][u64 LE position][binlog file name]}, with or without a trailing NUL (the
 * header comment of the servers promises one, their code does not send it).
 *
 * @param file bare binlog file name
 * @param position end position of the acknowledged event in {@code file}
 */
public record Ack(String file, long position) {
    /** Longest file name a server accepts (FN_REFLEN - 1). */
    public static final int MAX_NAME_LENGTH = 511;

    public Ack {
        Objects.requireNonNull(file, "file");
    }

    /** Decodes an ACK payload without consuming {@code payload}. */
    public static Ack decode(final ByteBuf payload) {
        final int start = payload.readerIndex();
        final int length = payload.readableBytes();
        if (length < 1 || payload.getUnsignedByte(start) != SemiSyncFramer.MAGIC) {
            throw new MalformedPacketException("semi-sync ACK must start with 0xEF, got "
                    + (length < 1 ? "an empty packet" : String.format("0x%02X", payload.getUnsignedByte(start))));
        }
        if (length < 9) {
            throw new MalformedPacketException("semi-sync ACK of " + length + " bytes is shorter than 9");
        }
        final long position = payload.getLongLE(start + 1);
        if (position < 0) {
            throw new MalformedPacketException(
                    "semi-sync ACK position " + Long.toUnsignedString(position) + " is out of range");
        }
        int nameLength = length - 9;
        if (nameLength > 0 && payload.getByte(start + length - 1) == 0) {
            nameLength--;
        }
        if (nameLength == 0) {
            throw new MalformedPacketException("semi-sync ACK carries no binlog file name");
        }
        if (nameLength > MAX_NAME_LENGTH) {
            throw new MalformedPacketException("semi-sync ACK file name of " + nameLength + " bytes is too long");
        }
        if (payload.indexOf(start + 9, start + 9 + nameLength, (byte) 0) >= 0) {
            throw new MalformedPacketException("semi-sync ACK file name contains a NUL byte");
        }
        final String file = payload.toString(start + 9, nameLength, StandardCharsets.UTF_8);
        if (file.indexOf('/') >= 0 || file.indexOf('\\') >= 0) {
            throw new MalformedPacketException("semi-sync ACK file name '" + file + "' is not a bare name");
        }
        return new Ack(file, position);
    }
}
