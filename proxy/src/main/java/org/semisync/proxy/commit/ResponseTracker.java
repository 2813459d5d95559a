package org.semisync.proxy.commit;

import java.util.ArrayDeque;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.LenEnc;
import org.semisync.proxy.protocol.OkPacket;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.Packets;
import org.semisync.proxy.protocol.ServerStatus;

/**
 * Follows the master's responses far enough to tell the OK packets that end a statement from rows, column
 * definitions and result-set terminators, and to tell where each response ends. Commands may be pipelined (MariaDB
 * Connector/J sends COM_STMT_PREPARE and COM_STMT_EXECUTE back to back, and batches without waiting), so the
 * commands whose responses are due wait in a FIFO, each with the caller's {@code tag}.
 *
 * <p>A COM_QUERY / COM_STMT_EXECUTE result is an OK, an ERR, a LOCAL INFILE request (then, after the client's data,
 * an OK or ERR), or a result set (column count, definitions, EOF unless CLIENT_DEPRECATE_EOF, rows, terminator);
 * {@link ServerStatus#MORE_RESULTS_EXISTS} chains results. A COM_STMT_PREPARE answer is an OK carrying the parameter
 * and column counts followed by their definitions. Commands answered by a single packet are followed too. The few
 * commands with other shapes (COM_CHANGE_USER, COM_FIELD_LIST, …) are never pipelined by clients; after one, the
 * tracker stops following until the next command. One per session, on its event loop.
 *
 * @param <T> what the caller attaches to each command
 */
final class ResponseTracker<T> {
    private enum State {
        IDLE,
        /** Waiting for the first packet of a statement result. */
        HEAD,
        COLUMNS,
        COLUMNS_EOF,
        ROWS,
        PREPARE_HEAD,
        PREPARE_DEFINITIONS,
        /** One packet (OK, ERR, EOF or a string) answers the command. */
        SINGLE,
        /** A command of a shape not followed is in flight: ignore packets until the next command. */
        OPAQUE
    }

    private record Pending<T>(int command, T tag) {}

    private final boolean deprecateEof;
    private final ArrayDeque<Pending<T>> due = new ArrayDeque<>();
    private State state = State.IDLE;
    /** Column definitions (or, for a prepare, definition packets) still to come. */
    private long columnsLeft;

    private boolean continuation;
    private int status;
    private boolean responseEnded;
    private T endedTag;

    ResponseTracker(final long capabilities) {
        this.deprecateEof = Capabilities.has(capabilities, Capabilities.CLIENT_DEPRECATE_EOF);
    }

    /** Whether no response is due (every followed command has been answered). */
    boolean idle() {
        return state == State.IDLE || state == State.OPAQUE;
    }

    /** The server status of the last OK or EOF seen. */
    int status() {
        return status;
    }

    /** Whether the packet last given to {@link #onResponse} ended a followed response. */
    boolean responseEnded() {
        return responseEnded;
    }

    /** The tag of the command whose response is due now (the next packet belongs to it), or null. */
    T dueTag() {
        final Pending<T> next = due.peekFirst();
        return next == null ? null : next.tag();
    }

    /** The tag of the command whose response the last packet ended (valid when {@link #responseEnded()}). */
    T endedTag() {
        return endedTag;
    }

    /**
     * A client packet. A new command (sequence id 0) joins the FIFO of due responses; packets with another sequence
     * id belong to the command in flight (LOCAL INFILE data, authentication continuation).
     */
    void onCommand(final Packet packet, final T tag) {
        if (packet.sequenceId() != 0) {
            return;
        }
        final int command = packet.firstByte();
        if (state == State.OPAQUE) {
            state = State.IDLE;
        }
        final State first = firstState(command);
        if (first == null) {
            return; // no response at all
        }
        if (first == State.OPAQUE) {
            due.clear();
            state = State.OPAQUE;
            return;
        }
        due.addLast(new Pending<>(command, tag));
        if (state == State.IDLE) {
            state = first;
        }
    }

    private static State firstState(final int command) {
        return switch (command) {
            case Commands.COM_QUERY, Commands.COM_STMT_EXECUTE, Commands.COM_STMT_BULK_EXECUTE -> State.HEAD;
            case Commands.COM_STMT_PREPARE -> State.PREPARE_HEAD;
            case Commands.COM_STMT_FETCH -> State.ROWS;
            case Commands.COM_PING,
                    Commands.COM_INIT_DB,
                    Commands.COM_STMT_RESET,
                    Commands.COM_RESET_CONNECTION,
                    Commands.COM_SET_OPTION,
                    Commands.COM_REFRESH,
                    Commands.COM_PROCESS_KILL,
                    Commands.COM_CREATE_DB,
                    Commands.COM_DROP_DB,
                    Commands.COM_STATISTICS,
                    Commands.COM_REGISTER_SLAVE -> State.SINGLE;
            case Commands.COM_STMT_CLOSE, Commands.COM_STMT_SEND_LONG_DATA, Commands.COM_QUIT -> null;
            default -> State.OPAQUE;
        };
    }

    /**
     * A master packet; returns the parsed OK when it ends a statement of a COM_QUERY / COM_STMT_EXECUTE (with or
     * without a GTID), else {@code null}. Afterwards {@link #responseEnded()} tells whether it ended the response.
     */
    OkPacket onResponse(final Packet packet) {
        responseEnded = false;
        endedTag = null;
        final boolean fragment = continuation;
        continuation = packet.continues();
        if (fragment || idle()) {
            return null;
        }
        final int first = packet.firstByte();
        switch (state) {
            case HEAD -> {
                if (first == Packets.OK) {
                    final OkPacket ok = OkPacket.parseTracked(packet.payload());
                    status = ok.status();
                    if ((status & ServerStatus.MORE_RESULTS_EXISTS) == 0) {
                        endResponse();
                    }
                    return ok;
                }
                if (first == Packets.ERR) {
                    endResponse();
                } else if (first != Packets.LOCAL_INFILE) {
                    columnsLeft = LenEnc.readInt(packet.payload().duplicate());
                    if (columnsLeft == 0) {
                        endResponse();
                    } else {
                        state = State.COLUMNS;
                    }
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
                status = eofStatus(packet);
                if ((status & ServerStatus.CURSOR_EXISTS) != 0) {
                    endResponse(); // rows come later, through COM_STMT_FETCH
                } else {
                    state = State.ROWS;
                }
                return null;
            }
            case ROWS -> {
                if (first == Packets.ERR) {
                    endResponse();
                } else if (isTerminator(packet)) {
                    status = deprecateEof
                            ? OkPacket.parseTracked(packet.payload()).status()
                            : eofStatus(packet);
                    if ((status & ServerStatus.MORE_RESULTS_EXISTS) != 0
                            && due.peekFirst().command() != Commands.COM_STMT_FETCH) {
                        state = State.HEAD;
                    } else {
                        endResponse();
                    }
                }
                return null;
            }
            case PREPARE_HEAD -> {
                if (first != Packets.OK) {
                    endResponse();
                    return null;
                }
                // [00][statement id u32][columns u16][parameters u16][00][warnings u16], then the parameter
                // definitions and the column definitions, each list closed by an EOF unless CLIENT_DEPRECATE_EOF
                final int base = packet.payload().readerIndex();
                columnsLeft = definitions(packet.payload().getUnsignedShortLE(base + 7))
                        + definitions(packet.payload().getUnsignedShortLE(base + 5));
                if (columnsLeft == 0) {
                    endResponse();
                } else {
                    state = State.PREPARE_DEFINITIONS;
                }
                return null;
            }
            case PREPARE_DEFINITIONS -> {
                if (--columnsLeft == 0) {
                    endResponse();
                }
                return null;
            }
            case SINGLE -> {
                endResponse();
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    /** Packets that carry {@code count} definitions in a COM_STMT_PREPARE answer. */
    private long definitions(final int count) {
        return count == 0 ? 0 : count + (deprecateEof ? 0 : 1);
    }

    private boolean isTerminator(final Packet packet) {
        return packet.firstByte() == Packets.EOF
                && packet.length() < Packets.MAX_PAYLOAD
                && (deprecateEof || packet.length() < Packets.EOF_MAX_LENGTH);
    }

    private static int eofStatus(final Packet packet) {
        return packet.payload().getUnsignedShortLE(packet.payload().readerIndex() + 3);
    }

    private void endResponse() {
        final Pending<T> done = due.pollFirst();
        responseEnded = true;
        endedTag = done == null ? null : done.tag();
        final Pending<T> next = due.peekFirst();
        state = next == null ? State.IDLE : firstState(next.command());
    }
}
