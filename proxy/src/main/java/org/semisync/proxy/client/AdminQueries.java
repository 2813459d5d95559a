package org.semisync.proxy.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.function.Consumer;
import org.semisync.proxy.admin.AdminCommands;
import org.semisync.proxy.admin.AdminStatement;
import org.semisync.proxy.admin.VariableReads;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.Packets;
import org.semisync.proxy.protocol.QueryBytes;
import org.semisync.proxy.protocol.TextResultReader;

/**
 * One session's statements about the semi-sync variables and counters: a {@code SET GLOBAL} is applied by the proxy
 * after asking the master, on the session's own connection, whether the account has SUPER; every read of them
 * (SHOW, information_schema / performance_schema, {@code @@}) is rewritten so that the master answers it with the
 * proxy's rows in place of its own. On the session's event loop.
 */
final class AdminQueries {
    private static final QueryBytes.Word SEMI_SYNC_NAME = QueryBytes.word("rpl_semi_sync");
    private static final QueryBytes.Word FLUSH = QueryBytes.word("flush");
    private static final java.util.regex.Pattern FLUSH_STATUS = java.util.regex.Pattern.compile(
            "\\s*FLUSH\\s+(?:LOCAL\\s+|NO_WRITE_TO_BINLOG\\s+)?(?:\\w+\\s*,\\s*)*STATUS\\s*(?:,.*)?;?\\s*",
            java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.DOTALL);
    /**
     * Longest query looked at: the statements answered here (SHOW … LIKE, SELECT of @@ variables, SET GLOBAL) are far
     * shorter, and a bulk INSERT of half a megabyte is not scanned for the name.
     */
    static final int MAX_ADMIN_QUERY = 4096;

    private final AdminCommands admin;
    private final Channel client;
    private final VariableReads.Dialect dialect;
    private TextResultReader privilegeCheck;
    private AdminStatement pendingSet;
    private int pendingSetSequence;
    /** A SET GLOBAL is being checked or applied: later commands wait, so answers stay in order. */
    private boolean busy;

    AdminQueries(final AdminCommands admin, final Channel client, final String masterVersion) {
        this.admin = admin;
        this.client = client;
        this.dialect = VariableReads.Dialect.forServerVersion(masterVersion);
    }

    /**
     * Starts the privilege check of a {@code SET GLOBAL} of the proxy's variables (a COM_QUERY, sequence id 0) by
     * sending {@link AdminCommands#SUPER_CHECK} through {@code toMaster}; false when the query is no such SET. Does
     * not take ownership.
     */
    boolean onQuery(final Packet packet, final long capabilities, final Consumer<Packet> toMaster) {
        final ByteBuf p = packet.payload();
        if (p.readableBytes() > MAX_ADMIN_QUERY || !QueryBytes.contains(p, SEMI_SYNC_NAME)) {
            return false; // every query passes here: look at the bytes before decoding
        }
        final AdminStatement set = AdminStatement.recognise(QueryBytes.text(p));
        if (set == null) {
            return false;
        }
        pendingSet = set;
        busy = true;
        pendingSetSequence = packet.sequenceId();
        privilegeCheck = new TextResultReader(capabilities);
        toMaster.accept(Commands.query(client.alloc(), AdminCommands.SUPER_CHECK));
        return true;
    }

    /**
     * {@code FLUSH STATUS} (a COM_QUERY, sequence id 0) also resets the proxy's counters, as it resets the plugin's;
     * the statement itself still goes to the master. Does not take ownership.
     */
    void onFlush(final Packet packet) {
        final ByteBuf p = packet.payload();
        if (QueryBytes.contains(p, FLUSH)
                && FLUSH_STATUS.matcher(QueryBytes.text(p)).matches()) {
            admin.resetStats();
        }
    }

    /**
     * The query to send to the master instead of {@code packet} (a COM_QUERY, sequence id 0): the same text with
     * every read of the proxy's variables and counters answering the proxy's values; null when it reads none. The
     * caller owns the returned packet. The client's bytes outside the rewritten parts are kept as they are.
     */
    Packet rewrite(final Packet packet) {
        final ByteBuf p = packet.payload();
        if (packet.continues() || !VariableReads.mayRead(p)) {
            return null; // a text over 16 MiB is not a read of variables
        }
        final byte[] sql = new byte[p.readableBytes() - 1];
        p.getBytes(p.readerIndex() + 1, sql);
        final byte[] rewritten = VariableReads.rewrite(sql, admin.rows(), dialect);
        if (rewritten == null || rewritten.length + 1 >= Packets.MAX_PAYLOAD) {
            return null;
        }
        final ByteBuf payload = client.alloc().buffer(rewritten.length + 1);
        payload.writeByte(Commands.COM_QUERY).writeBytes(rewritten);
        return new Packet(packet.sequenceId(), payload);
    }

    /** Whether the master's answer to a privilege check is awaited (its packets must come to {@link #onAnswer}). */
    boolean checking() {
        return privilegeCheck != null;
    }

    /** Whether a SET GLOBAL is in progress (checked by the master, then applied); its answer is not written yet. */
    boolean busy() {
        return busy;
    }

    /**
     * A packet of the master's answer to the privilege check; applies or refuses the SET when it is complete, and
     * runs {@code done} once its answer is written.
     */
    void onAnswer(final Packet packet, final String user, final Runnable done) {
        final TextResultReader.Result result = privilegeCheck.onPacket(packet);
        if (result == null) {
            return;
        }
        privilegeCheck = null;
        final AdminStatement set = pendingSet;
        pendingSet = null;
        final Consumer<Packet> answer = reply -> {
            client.writeAndFlush(reply);
            busy = false;
            done.run();
        };
        if (result.error() != null) {
            answer.accept(result.error().toPacket(client.alloc(), pendingSetSequence + 1));
            return;
        }
        final boolean hasSuper = !result.firstColumn().isEmpty()
                && !"0".equals(result.firstColumn().get(0));
        admin.set(set, hasSuper, user, pendingSetSequence, client.alloc(), client.eventLoop(), answer);
    }
}
