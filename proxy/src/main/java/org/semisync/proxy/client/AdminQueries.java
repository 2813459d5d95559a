package org.semisync.proxy.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.semisync.proxy.admin.AdminCommands;
import org.semisync.proxy.admin.AdminStatement;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.QueryBytes;

/**
 * One session's queries about the semi-sync variables and counters, which the proxy answers itself: reads at once,
 * a SET GLOBAL after asking the master, on the session's own connection, whether the account has SUPER. On the
 * session's event loop.
 */
final class AdminQueries {
    private static final QueryBytes.Word SEMI_SYNC_NAME = QueryBytes.word("rpl_semi_sync");
    /**
     * Longest query looked at: the statements answered here (SHOW … LIKE, SELECT of @@ variables, SET GLOBAL) are far
     * shorter, and a bulk INSERT of half a megabyte is not scanned for the name.
     */
    static final int MAX_ADMIN_QUERY = 4096;

    private final AdminCommands admin;
    private final Channel client;
    private InternalQuery privilegeCheck;
    private AdminStatement.SetVariable pendingSet;
    private int pendingSetSequence;
    /** A SET GLOBAL is being checked or applied: later commands wait, so answers stay in order. */
    private boolean busy;

    AdminQueries(final AdminCommands admin, final Channel client) {
        this.admin = admin;
        this.client = client;
    }

    /**
     * Answers a COM_QUERY (sequence id 0) about the semi-sync names, or starts the privilege check of a SET GLOBAL
     * by sending {@link AdminCommands#SUPER_CHECK} through {@code toMaster}; false when the query is not one (it goes
     * to the master as usual). Does not take ownership.
     */
    boolean onQuery(final Packet packet, final long capabilities, final Consumer<Packet> toMaster) {
        final ByteBuf p = packet.payload();
        if (p.readableBytes() > MAX_ADMIN_QUERY || !QueryBytes.contains(p, SEMI_SYNC_NAME)) {
            return false; // every query passes here: look at the bytes before decoding
        }
        final AdminStatement statement = AdminStatement.recognise(
                p.toString(p.readerIndex() + 1, p.readableBytes() - 1, StandardCharsets.UTF_8));
        if (statement == null) {
            return false;
        }
        if (statement instanceof AdminStatement.SetVariable set) {
            pendingSet = set;
            busy = true;
            pendingSetSequence = packet.sequenceId();
            privilegeCheck = new InternalQuery(capabilities);
            toMaster.accept(InternalQuery.command(client.alloc(), AdminCommands.SUPER_CHECK));
            return true;
        }
        admin.read(statement, packet.sequenceId(), capabilities, client.alloc()).forEach(client::write);
        client.flush();
        return true;
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
        final InternalQuery.Result result = privilegeCheck.onPacket(packet);
        if (result == null) {
            return;
        }
        privilegeCheck = null;
        final AdminStatement.SetVariable set = pendingSet;
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
