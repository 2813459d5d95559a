package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a text-protocol result set of string columns, for statements the proxy answers itself: column count,
 * column definitions, EOF (unless the client negotiated CLIENT_DEPRECATE_EOF), rows, and the closing EOF or
 * OK-as-EOF. Sequence ids continue from the command's.
 */
public final class ResultSetWriter {
    private static final int UTF8_GENERAL_CI = 33;
    private static final int MYSQL_TYPE_VAR_STRING = 0xFD;

    private ResultSetWriter() {}

    /**
     * The packets of a result set answering a command that had sequence id {@code commandSequence}, shaped by the
     * capabilities both sides negotiated.
     *
     * @param rows each row has one value per column; {@code null} is SQL NULL
     */
    public static List<Packet> write(
            final ByteBufAllocator alloc,
            final int commandSequence,
            final long clientCapabilities,
            final List<String> columns,
            final List<List<String>> rows) {
        final boolean deprecateEof = Capabilities.has(clientCapabilities, Capabilities.CLIENT_DEPRECATE_EOF);
        final boolean extendedTypeInfo =
                Capabilities.has(clientCapabilities, Capabilities.MARIADB_CLIENT_EXTENDED_TYPE_INFO);
        final List<Packet> out = new ArrayList<>(columns.size() + rows.size() + 3);
        int seq = commandSequence + 1;
        final ByteBuf count = alloc.buffer(9);
        LenEnc.writeInt(count, columns.size());
        out.add(new Packet(seq++, count));
        for (String column : columns) {
            final ByteBuf def = alloc.buffer(32 + 2 * column.length());
            LenEnc.writeString(def, "def");
            LenEnc.writeString(def, "");
            LenEnc.writeString(def, "");
            LenEnc.writeString(def, "");
            LenEnc.writeString(def, column);
            LenEnc.writeString(def, column);
            if (extendedTypeInfo) {
                def.writeByte(0); // MariaDB's extended type information: none
            }
            def.writeByte(0x0C)
                    .writeShortLE(UTF8_GENERAL_CI)
                    .writeIntLE(1024)
                    .writeByte(MYSQL_TYPE_VAR_STRING)
                    .writeShortLE(0)
                    .writeByte(0)
                    .writeShortLE(0);
            out.add(new Packet(seq++, def));
        }
        if (!deprecateEof) {
            out.add(new Packet(seq++, eof(alloc)));
        }
        for (List<String> row : rows) {
            final ByteBuf r = alloc.buffer(64);
            for (String value : row) {
                LenEnc.writeString(r, value);
            }
            out.add(new Packet(seq++, r));
        }
        if (deprecateEof) {
            out.add(new Packet(seq, okBody(alloc, Packets.EOF)));
        } else {
            out.add(new Packet(seq, eof(alloc)));
        }
        return out;
    }

    /** A plain OK packet (e.g. for a {@code SET} the proxy accepts itself). */
    public static Packet ok(final ByteBufAllocator alloc, final int commandSequence) {
        return new Packet(commandSequence + 1, okBody(alloc, Packets.OK));
    }

    /** An empty OK (no rows affected, autocommit); {@code header} is 0x00, or 0xFE where it ends a result set. */
    private static ByteBuf okBody(final ByteBufAllocator alloc, final int header) {
        final ByteBuf ok = alloc.buffer(7);
        ok.writeByte(header)
                .writeByte(0)
                .writeByte(0)
                .writeShortLE(ServerStatus.AUTOCOMMIT)
                .writeShortLE(0);
        return ok;
    }

    private static ByteBuf eof(final ByteBufAllocator alloc) {
        final ByteBuf eof = alloc.buffer(5);
        eof.writeByte(Packets.EOF).writeShortLE(0).writeShortLE(ServerStatus.AUTOCOMMIT);
        return eof;
    }
}
