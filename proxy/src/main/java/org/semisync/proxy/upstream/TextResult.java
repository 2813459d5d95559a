package org.semisync.proxy.upstream;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.LenEnc;
import org.semisync.proxy.protocol.Packet;

/**
 * The answer to one text query, packet by packet: an OK, an ERR, or a result set (column count, column definitions,
 * EOF, text rows, EOF; the tail does not negotiate CLIENT_DEPRECATE_EOF). Keeps the rows as strings.
 */
final class TextResult {
    private enum State {
        FIRST,
        COLUMNS,
        ROWS,
        DONE
    }

    private State state = State.FIRST;
    private long columns;
    private ErrPacket err;
    private final List<String[]> rows = new ArrayList<>();

    /** Takes the next packet of the answer; returns whether the answer is complete. Does not release it. */
    boolean accept(final Packet packet) {
        switch (state) {
            case FIRST -> {
                if (packet.isOk()) {
                    state = State.DONE;
                } else if (packet.isErr()) {
                    err = ErrPacket.parse(packet.payload());
                    state = State.DONE;
                } else {
                    columns = LenEnc.readInt(packet.payload().duplicate());
                    state = State.COLUMNS;
                }
            }
            case COLUMNS -> {
                if (packet.isEof()) {
                    state = State.ROWS;
                }
            }
            case ROWS -> {
                if (packet.isEof()) {
                    state = State.DONE;
                } else if (packet.isErr()) {
                    err = ErrPacket.parse(packet.payload());
                    state = State.DONE;
                } else {
                    rows.add(row(packet.payload().duplicate()));
                }
            }
            case DONE -> throw new IllegalStateException("packet after the end of the answer: " + packet);
        }
        return state == State.DONE;
    }

    private String[] row(final ByteBuf p) {
        final String[] row = new String[(int) columns];
        for (int i = 0; i < row.length; i++) {
            if (p.getUnsignedByte(p.readerIndex()) == LenEnc.NULL_MARKER) {
                p.skipBytes(1);
            } else {
                row[i] = LenEnc.readString(p, StandardCharsets.UTF_8);
            }
        }
        return row;
    }

    /** The ERR, or null when the query succeeded. */
    ErrPacket error() {
        return err;
    }

    List<String[]> rows() {
        return rows;
    }
}
