package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to a text query the proxy sends itself (the privilege check on a client's master connection, the binlog
 * tail's set-up queries), read packet by packet: an OK, an ERR, or a result set whose rows are kept as strings. Column
 * definitions are counted, not read; the EOF after them is expected unless CLIENT_DEPRECATE_EOF was negotiated.
 */
public final class TextResultReader {
    /** The outcome: the rows (a null element for SQL NULL), or the master's error. */
    public record Result(List<String[]> rows, ErrPacket error) {
        /** The first column of each row. */
        public List<String> firstColumn() {
            return rows.stream().map(row -> row[0]).toList();
        }
    }

    private enum State {
        HEAD,
        COLUMNS,
        COLUMNS_EOF,
        ROWS
    }

    private final boolean deprecateEof;
    private final List<String[]> rows = new ArrayList<>();
    private State state = State.HEAD;
    private int columns;
    private long columnsLeft;

    /** @param capabilities those negotiated on the connection (only CLIENT_DEPRECATE_EOF matters) */
    public TextResultReader(final long capabilities) {
        this.deprecateEof = Capabilities.has(capabilities, Capabilities.CLIENT_DEPRECATE_EOF);
    }

    /** One packet of the answer; returns the result when it was the last one, else {@code null}. */
    public Result onPacket(final Packet packet) {
        final int first = packet.firstByte();
        switch (state) {
            case HEAD -> {
                if (first == Packets.ERR) {
                    return new Result(List.of(), ErrPacket.parse(packet.payload()));
                }
                if (first == Packets.OK) {
                    return new Result(List.of(), null);
                }
                columnsLeft = LenEnc.readInt(packet.payload().duplicate());
                columns = (int) columnsLeft;
                state = State.COLUMNS;
            }
            case COLUMNS -> {
                if (--columnsLeft == 0) {
                    state = deprecateEof ? State.ROWS : State.COLUMNS_EOF;
                }
            }
            case COLUMNS_EOF -> state = State.ROWS;
            case ROWS -> {
                if (first == Packets.ERR) {
                    return new Result(List.copyOf(rows), ErrPacket.parse(packet.payload()));
                }
                if (first == Packets.EOF && packet.length() < Packets.MAX_PAYLOAD) {
                    return new Result(List.copyOf(rows), null);
                }
                rows.add(row(packet.payload().duplicate()));
            }
        }
        return null;
    }

    private String[] row(final ByteBuf p) {
        final String[] row = new String[columns];
        for (int i = 0; i < row.length; i++) {
            if (p.getUnsignedByte(p.readerIndex()) == LenEnc.NULL_MARKER) {
                p.skipBytes(1);
            } else {
                row[i] = LenEnc.readString(p);
            }
        }
        return row;
    }
}
