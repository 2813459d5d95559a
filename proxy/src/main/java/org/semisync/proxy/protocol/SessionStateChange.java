package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Optional;

/**
 * One entry of an OK packet's session-state block: {@code [type u8][lenenc data]}. The data layout depends on the
 * type; the proxy decodes only the two it needs and carries the others through as bytes.
 */
public record SessionStateChange(int type, byte[] data) {
    /** MariaDB and MySQL: a tracked system variable changed; data = lenenc name, lenenc value. */
    public static final int SYSTEM_VARIABLES = 0;
    /** The current schema changed. */
    public static final int SCHEMA = 1;
    /** Some other tracked state changed. */
    public static final int STATE_CHANGE = 2;
    /** MySQL session_track_gtids: data = encoding specification u8 (0), lenenc GTID set. */
    public static final int GTIDS = 3;

    public SessionStateChange {
        data = data.clone();
    }

    /** A type-0 entry for {@code name = value}. */
    public static SessionStateChange systemVariable(final String name, final String value) {
        final ByteBuf buf = Unpooled.buffer();
        try {
            LenEnc.writeString(buf, name);
            LenEnc.writeString(buf, value);
            return new SessionStateChange(SYSTEM_VARIABLES, ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }

    /** A type-3 entry (MySQL OWN_GTID / ALL_GTIDS) carrying {@code gtids}. */
    public static SessionStateChange gtids(final String gtids) {
        final ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeByte(0);
            LenEnc.writeString(buf, gtids);
            return new SessionStateChange(GTIDS, ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** For a type-0 entry, the variable's name and value; empty for other types. */
    public Optional<String[]> systemVariable() {
        if (type != SYSTEM_VARIABLES) {
            return Optional.empty();
        }
        final ByteBuf buf = Unpooled.wrappedBuffer(data);
        final String name = LenEnc.readString(buf);
        final String value = buf.isReadable() ? LenEnc.readString(buf) : "";
        return Optional.of(new String[] {name, value});
    }

    /** For a type-3 entry, the GTID text; empty for other types. */
    public Optional<String> gtidText() {
        if (type != GTIDS) {
            return Optional.empty();
        }
        final ByteBuf buf = Unpooled.wrappedBuffer(data);
        if (!buf.isReadable()) {
            throw new MalformedPacketException("empty GTIDS session-state entry");
        }
        final int encoding = buf.readUnsignedByte();
        if (encoding != 0) {
            throw new MalformedPacketException("unknown GTIDS encoding " + encoding);
        }
        return Optional.of(LenEnc.readString(buf));
    }

    void writeTo(final ByteBuf out) {
        out.writeByte(type);
        LenEnc.writeBytes(out, data);
    }

    int encodedSize() {
        return 1 + LenEnc.sizeOf(data.length) + data.length;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof SessionStateChange other && other.type == type && Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return systemVariable()
                .map(v -> "SessionStateChange(" + v[0] + "=" + v[1] + ")")
                .orElseGet(() -> "SessionStateChange(type=" + type + ", " + data.length + " bytes)");
    }
}
