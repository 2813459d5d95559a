package org.semisync.proxy.commit;

import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.LenEnc;
import org.semisync.proxy.protocol.OkPacket;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.Packets;
import org.semisync.proxy.protocol.ServerStatus;

/**
 * Follows the master's response to COM_QUERY and COM_STMT_EXECUTE far enough to recognise the OK packets that end
 * a statement (as opposed to rows, column definitions or result-set terminators): a result is an OK, an ERR, a LOCAL
 * INFILE request, or a result set (column count, definitions, EOF unless CLIENT_DEPRECATE_EOF, rows, terminator);
 * {@link ServerStatus#MORE_RESULTS_EXISTS} chains results. Other commands are not followed. One per session, on its
 * event loop.
 */
final class ResponseTracker {
    private enum State {
        IDLE,
        HEAD,
        COLUMNS,
        COLUMNS_EOF,
        ROWS
    }

    private final boolean deprecateEof;
    private State state = State.IDLE;
    private long columnsLeft;
    private boolean continuation;

    ResponseTracker(final long capabilities) {
        this.deprecateEof = Capabilities.has(capabilities, Capabilities.CLIENT_DEPRECATE_EOF);
    }

    /** Whether no followed response is in flight (the last one ended). */
    boolean idle() {
        return state == State.IDLE;
    }

    /** A client packet; a new COM_QUERY / COM_STMT_EXECUTE starts a response to follow. */
    void onCommand(final Packet packet) {
        if (packet.sequenceId() != 0) {
            return; // LOCAL INFILE data, auth continuation: part of the command in flight
        }
        final int command = packet.firstByte();
        state = command == Commands.COM_QUERY || command == Commands.COM_STMT_EXECUTE ? State.HEAD : State.IDLE;
        continuation = false;
    }

    /**
     * A master packet of the response in flight; returns the parsed OK when it ends a statement (with or without a
     * GTID), else {@code null}.
     */
    OkPacket onResponse(final Packet packet) {
        final boolean fragment = continuation;
        continuation = packet.continues();
        if (fragment || state == State.IDLE) {
            return null;
        }
        final int first = packet.firstByte();
        switch (state) {
            case HEAD -> {
                if (first == Packets.OK) {
                    final OkPacket ok = OkPacket.parseTracked(packet.payload());
                    state = (ok.status() & ServerStatus.MORE_RESULTS_EXISTS) != 0 ? State.HEAD : State.IDLE;
                    return ok;
                }
                if (first == Packets.ERR) {
                    state = State.IDLE;
                } else if (first != Packets.LOCAL_INFILE) {
                    columnsLeft = LenEnc.readInt(packet.payload().duplicate());
                    state = columnsLeft == 0 ? State.IDLE : State.COLUMNS;
                }
                return null;
            }
            case COLUMNS -> {
                if (--columnsLeft == 0) {
                    state = deprecateEof ? State.ROWS : State.COLUMNS_EOF;
                }
                return null;
            }
            case COLUMNS_EOF -> {
                final int status =
                        packet.payload().getUnsignedShortLE(packet.payload().readerIndex() + 3);
                state = (status & ServerStatus.CURSOR_EXISTS) != 0 ? State.IDLE : State.ROWS;
                return null;
            }
            case ROWS -> {
                if (first == Packets.ERR) {
                    state = State.IDLE;
                } else if (first == Packets.EOF
                        && packet.length() < Packets.MAX_PAYLOAD
                        && (deprecateEof || packet.length() < Packets.EOF_MAX_LENGTH)) {
                    final int status = deprecateEof
                            ? OkPacket.parseTracked(packet.payload()).status()
                            : packet.payload()
                                    .getUnsignedShortLE(packet.payload().readerIndex() + 3);
                    state = (status & ServerStatus.MORE_RESULTS_EXISTS) != 0 ? State.HEAD : State.IDLE;
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }
}
