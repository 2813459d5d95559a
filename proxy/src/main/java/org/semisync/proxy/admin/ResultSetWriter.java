package org.semisync.proxy.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.LenEnc;
import org.semisync.proxy.protocol.OkPacket;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.Packets;
import org.semisync.proxy.protocol.ServerStatus;

/**
 * Writes a text-protocol result set of string columns: column count, column definitions, EOF (omitted under
 * CLIENT_DEPRECATE_EOF), rows, and a closing EOF, or under CLIENT_DEPRECATE_EOF an OK with the 0xFE marker. Sequence
 * ids start at 1 (the answer to a command whose packet had id 0).
 */
public final class ResultSetWriter {
    /** utf8mb4_general_ci. */
    private static final int UTF8MB4 = 45;
    /** MYSQL_TYPE_VAR_STRING. */
    private static final int VAR_STRING = 0xFD;

    private final long clientCapabilities;
    private final int serverStatus;

    /**
     * @param clientCapabilities what the client negotiated (CLIENT_DEPRECATE_EOF decides the terminators)
     * @param serverStatus status flags to report (the session's current AUTOCOMMIT / IN_TRANS)
     */
    public ResultSetWriter(final long clientCapabilities, final int serverStatus) {
        this.clientCapabilities = clientCapabilities;
        this.serverStatus = serverStatus & ~ServerStatus.SESSION_STATE_CHANGED;
    }

    /** The packets of a result set with {@code columns} (names) and {@code rows} (null cells are SQL NULL). */
    public List<Packet> write(final ByteBufAllocator alloc, final List<String> columns, final List<List<String>> rows) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a result set needs at least one column");
        }
        final boolean deprecateEof = Capabilities.has(clientCapabilities, Capabilities.CLIENT_DEPRECATE_EOF);
        final List<Packet> out = new ArrayList<>(columns.size() + rows.size() + 3);
        int seq = 1;
        final ByteBuf count = alloc.buffer(9);
        LenEnc.writeInt(count, columns.size());
        out.add(new Packet(seq++, count));
        for (final String column : columns) {
            out.add(new Packet(seq++, columnDefinition(alloc, column)));
        }
        if (!deprecateEof) {
            out.add(new Packet(seq++, eof(alloc)));
        }
        for (final List<String> row : rows) {
            if (row.size() != columns.size()) {
                out.forEach(Packet::release);
                throw new IllegalArgumentException(
                        "row has " + row.size() + " cells for " + columns.size() + " columns");
            }
            final ByteBuf buf = alloc.buffer();
            for (final String cell : row) {
                LenEnc.writeString(buf, cell);
            }
            out.add(new Packet(seq++ & 0xFF, buf));
        }
        if (deprecateEof) {
            final OkPacket end = new OkPacket(Packets.EOF, 0, 0, serverStatus, 0, "", List.of());
            out.add(new Packet(seq & 0xFF, end.encode(alloc, clientCapabilities)));
        } else {
            out.add(new Packet(seq & 0xFF, eof(alloc)));
        }
        return out;
    }

    private ByteBuf eof(final ByteBufAllocator alloc) {
        return alloc.buffer(5).writeByte(Packets.EOF).writeShortLE(0).writeShortLE(serverStatus);
    }

    private static ByteBuf columnDefinition(final ByteBufAllocator alloc, final String name) {
        final ByteBuf buf = alloc.buffer(32 + name.length() * 2);
        LenEnc.writeString(buf, "def"); // catalog
        LenEnc.writeString(buf, ""); // schema
        LenEnc.writeString(buf, ""); // table
        LenEnc.writeString(buf, ""); // original table
        LenEnc.writeString(buf, name);
        LenEnc.writeString(buf, name); // original name
        buf.writeByte(0x0C); // length of the fixed fields
        buf.writeShortLE(UTF8MB4);
        buf.writeIntLE(1024 * 4); // column length in bytes
        buf.writeByte(VAR_STRING);
        buf.writeShortLE(0); // flags
        buf.writeByte(0); // decimals
        buf.writeShortLE(0); // filler
        return buf;
    }

    /** Decodes the text cells of a row payload; for tests and for merging rows read from the master. */
    public static List<String> readRow(final ByteBuf payload, final int columns) {
        final ByteBuf p = payload.duplicate();
        final List<String> cells = new ArrayList<>(columns);
        for (int i = 0; i < columns; i++) {
            if (p.isReadable() && p.getUnsignedByte(p.readerIndex()) == LenEnc.NULL_MARKER) {
                p.skipBytes(1);
                cells.add(null);
            } else {
                cells.add(LenEnc.readString(p, StandardCharsets.UTF_8));
            }
        }
        return cells;
    }
}
