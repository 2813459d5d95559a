package org.semisync.proxy.client;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.LenEnc;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.Packets;

/**
 * A query the proxy runs on a client's own master connection, between the client's commands, whose answer the client
 * never sees: the text result's first column is collected. Needs nothing but the session's privileges, so the master
 * answers for the client's account.
 */
final class InternalQuery {
    /** The outcome: the first column of each row, or the master's error. */
    record Result(List<String> firstColumn, ErrPacket error) {}

    private enum State {
        HEAD,
        COLUMNS,
        COLUMNS_EOF,
        ROWS
    }

    private final boolean deprecateEof;
    private final List<String> values = new ArrayList<>();
    private State state = State.HEAD;
    private long columnsLeft;

    InternalQuery(final long capabilities) {
        this.deprecateEof = Capabilities.has(capabilities, Capabilities.CLIENT_DEPRECATE_EOF);
    }

    /** One packet of the answer; returns the result when it was the last one, else {@code null}. */
    Result onPacket(final Packet packet) {
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
                    return new Result(List.copyOf(values), ErrPacket.parse(packet.payload()));
                }
                if (first == Packets.EOF && packet.length() < Packets.MAX_PAYLOAD) {
                    return new Result(List.copyOf(values), null);
                }
                final ByteBuf row = packet.payload().duplicate();
                values.add(row.getUnsignedByte(row.readerIndex()) == 0xFB ? null : LenEnc.readString(row));
            }
        }
        return null;
    }
}
