package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Length-encoded integers and strings of the MySQL protocol. An integer below 251 is one byte; 0xFC, 0xFD and 0xFE
 * announce 2, 3 and 8 little-endian bytes. 0xFB is NULL in a text row and never a length.
 */
public final class LenEnc {
    /** The NULL marker of text result rows. */
    public static final int NULL_MARKER = 0xFB;

    private LenEnc() {}

    /**
     * Reads a length-encoded integer at the reader index.
     *
     * @throws MalformedPacketException if the buffer ends early or holds the NULL marker or 0xFF
     */
    public static long readInt(final ByteBuf buf) {
        need(buf, 1, "length-encoded integer");
        final int first = buf.readUnsignedByte();
        if (first < 0xFB) {
            return first;
        }
        return switch (first) {
            case 0xFC -> {
                need(buf, 2, "2-byte length-encoded integer");
                yield buf.readUnsignedShortLE();
            }
            case 0xFD -> {
                need(buf, 3, "3-byte length-encoded integer");
                yield buf.readUnsignedMediumLE();
            }
            case 0xFE -> {
                need(buf, 8, "8-byte length-encoded integer");
                yield buf.readLongLE();
            }
            default ->
                throw new MalformedPacketException(
                        String.format("0x%02x is not the first byte of a length-encoded integer", first));
        };
    }

    /** Reads a length-encoded string (length prefix, then that many bytes) decoded with {@code charset}. */
    public static String readString(final ByteBuf buf, final Charset charset) {
        final long length = readInt(buf);
        if (length > buf.readableBytes()) {
            throw new MalformedPacketException(
                    "length-encoded string of " + length + " bytes, only " + buf.readableBytes() + " left");
        }
        final String s = buf.toString(buf.readerIndex(), (int) length, charset);
        buf.skipBytes((int) length);
        return s;
    }

    /** Reads a length-encoded string as UTF-8. */
    public static String readString(final ByteBuf buf) {
        return readString(buf, StandardCharsets.UTF_8);
    }

    /** Skips a length-encoded string and returns how many content bytes it had. */
    public static long skipString(final ByteBuf buf) {
        final long length = readInt(buf);
        if (length > buf.readableBytes()) {
            throw new MalformedPacketException(
                    "length-encoded string of " + length + " bytes, only " + buf.readableBytes() + " left");
        }
        buf.skipBytes((int) length);
        return length;
    }

    /** Writes {@code value} as a length-encoded integer. */
    public static void writeInt(final ByteBuf buf, final long value) {
        if (value < 0) {
            buf.writeByte(0xFE).writeLongLE(value);
        } else if (value < 0xFB) {
            buf.writeByte((int) value);
        } else if (value <= 0xFFFF) {
            buf.writeByte(0xFC).writeShortLE((int) value);
        } else if (value <= 0xFF_FFFF) {
            buf.writeByte(0xFD).writeMediumLE((int) value);
        } else {
            buf.writeByte(0xFE).writeLongLE(value);
        }
    }

    /** Writes a length-encoded string; {@code null} becomes the NULL marker of text rows. */
    public static void writeString(final ByteBuf buf, final String value, final Charset charset) {
        if (value == null) {
            buf.writeByte(NULL_MARKER);
            return;
        }
        writeBytes(buf, value.getBytes(charset));
    }

    /** Writes a UTF-8 length-encoded string; {@code null} becomes the NULL marker of text rows. */
    public static void writeString(final ByteBuf buf, final String value) {
        writeString(buf, value, StandardCharsets.UTF_8);
    }

    /** Writes length-encoded bytes. */
    public static void writeBytes(final ByteBuf buf, final byte[] value) {
        writeInt(buf, value.length);
        buf.writeBytes(value);
    }

    /** Number of bytes {@link #writeInt} uses for {@code value}. */
    public static int sizeOf(final long value) {
        if (value < 0) {
            return 9;
        } else if (value < 0xFB) {
            return 1;
        } else if (value <= 0xFFFF) {
            return 3;
        } else if (value <= 0xFF_FFFF) {
            return 4;
        }
        return 9;
    }

    /** Reads a NUL-terminated string; the NUL is consumed. */
    public static String readNullTerminated(final ByteBuf buf, final Charset charset) {
        final int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new MalformedPacketException("NUL-terminated string without NUL");
        }
        final String s = buf.toString(buf.readerIndex(), end - buf.readerIndex(), charset);
        buf.readerIndex(end + 1);
        return s;
    }

    private static void need(final ByteBuf buf, final int bytes, final String what) {
        if (buf.readableBytes() < bytes) {
            throw new MalformedPacketException(
                    what + " needs " + bytes + " bytes, only " + buf.readableBytes() + " left");
        }
    }
}
