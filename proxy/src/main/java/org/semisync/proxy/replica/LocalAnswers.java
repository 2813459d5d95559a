package org.semisync.proxy.replica;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.Packet;

/** Text-protocol answers the proxy gives itself: OK, and a one-row result set of strings. */
final class LocalAnswers {
    private static final int UTF8_GENERAL_CI = 33;
    private static final int MYSQL_TYPE_VAR_STRING = 0xFD;

    private LocalAnswers() {}

    static Packet ok(final ByteBufAllocator alloc, final int sequenceId) {
        final ByteBuf ok = alloc.buffer(7);
        ok.writeByte(0).writeByte(0).writeByte(0).writeShortLE(0x0002).writeShortLE(0);
        return new Packet(sequenceId, ok);
    }

    /** A result set with {@code names.length} string columns and one row, sequence ids from 1. */
    static List<Packet> row(
            final ByteBufAllocator alloc, final long clientCapabilities, final String[] names, final String[] values) {
        final boolean deprecateEof = Capabilities.has(clientCapabilities, Capabilities.CLIENT_DEPRECATE_EOF);
        final List<Packet> packets = new ArrayList<>();
        int seq = 1;
        packets.add(new Packet(seq++, alloc.buffer(1).writeByte(names.length)));
        for (String name : names) {
            final ByteBuf def = alloc.buffer();
            lenenc(def, "def");
            lenenc(def, "");
            lenenc(def, "");
            lenenc(def, "");
            lenenc(def, name);
            lenenc(def, "");
            def.writeByte(0x0C).writeShortLE(UTF8_GENERAL_CI).writeIntLE(1024).writeByte(MYSQL_TYPE_VAR_STRING);
            def.writeShortLE(0).writeByte(0).writeShortLE(0);
            packets.add(new Packet(seq++, def));
        }
        if (!deprecateEof) {
            packets.add(new Packet(seq++, eof(alloc)));
        }
        final ByteBuf row = alloc.buffer();
        for (String value : values) {
            lenenc(row, value);
        }
        packets.add(new Packet(seq++, row));
        if (deprecateEof) {
            final ByteBuf ok = alloc.buffer(7);
            ok.writeByte(0xFE).writeByte(0).writeByte(0).writeShortLE(0x0002).writeShortLE(0);
            packets.add(new Packet(seq, ok));
        } else {
            packets.add(new Packet(seq, eof(alloc)));
        }
        return packets;
    }

    private static ByteBuf eof(final ByteBufAllocator alloc) {
        return alloc.buffer(5).writeByte(0xFE).writeShortLE(0).writeShortLE(0x0002);
    }

    private static void lenenc(final ByteBuf buf, final String value) {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= 251) {
            throw new IllegalArgumentException("value too long for a one-byte length: " + value);
        }
        buf.writeByte(bytes.length).writeBytes(bytes);
    }
}
