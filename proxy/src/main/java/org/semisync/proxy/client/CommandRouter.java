package org.semisync.proxy.client;

import io.netty.channel.Channel;
import java.util.ArrayDeque;
import org.semisync.proxy.binlog.RelayHub;
import org.semisync.proxy.commit.CommitGate;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.QueryBytes;
import org.semisync.proxy.replica.ReplicationCommands;

/**
 * The command phase of one client session: each client command goes to the replica handler
 * ({@link ReplicationCommands}, then the {@link ReplicaDump} once it asked for a binlog dump), to the proxy's own
 * answers ({@link AdminQueries}) or to the master; each master packet comes back through the same owner (the dump,
 * the admin check, or the {@link CommitGate}, which holds commit OKs). On the session's event loop.
 */
final class CommandRouter {
    /** What the router needs from its session. */
    interface Link {
        /** Sends a packet to the master; takes ownership. */
        void toMaster(Packet packet);

        /** The ring serves this replica now: the master-side connection is no longer needed. */
        void closeMaster();

        /**
         * {@code ok} (owned) ends a command that rewrote the session's tracked variables: turn the proxy's GTID
         * tracking on again, then give the client {@code ok}.
         */
        void reenableTracking(Packet ok);

        /** The client sent COM_QUIT (already relayed). */
        void quit();

        /** Reads from the master again after a replica's dump was held ({@link #dumpHeld()}). */
        void resumeMasterReads();
    }

    private static final QueryBytes.Word SESSION_TRACK = QueryBytes.word("session_track");

    private final Channel client;
    private final Link link;
    private final long capabilities;
    private final long masterConnectionId;
    private final String user;
    /** Null without an ack tracker (plain relay). */
    private final ReplicationCommands replication;
    /** Null without an ack tracker. */
    private final AdminQueries admin;

    private final RelayHub relay;
    /** Null when commits are not held (plain relay, or no way to find them). */
    private CommitGate gate;
    /** The binlog dump of a replica connection, once it asked for one. */
    private volatile ReplicaDump dump;

    private boolean reapplyTracking;
    /** Client commands that arrived while a SET GLOBAL waited for its privilege check: replayed after its answer. */
    private final ArrayDeque<Packet> waitingForAdmin = new ArrayDeque<>();

    private int lastClientSequence;
    private boolean lastFromClient;

    CommandRouter(
            final Channel client,
            final Link link,
            final ClientContext context,
            final CommitGate gate,
            final ReplicationCommands replication,
            final AdminQueries admin,
            final RelayHub relay) {
        this.client = client;
        this.link = link;
        this.capabilities = context.capabilities();
        this.masterConnectionId = context.masterConnectionId();
        this.user = context.user();
        this.gate = gate;
        this.replication = replication;
        this.admin = admin;
        this.relay = relay;
    }

    /**
     * What a session knows once its client is authenticated.
     *
     * @param serverVersion the master's version from its greeting
     */
    record ClientContext(long capabilities, long masterConnectionId, String user, String serverVersion) {}

    /** A packet from the client. Does not take ownership. */
    void fromClient(final Packet packet) {
        if (dump != null) {
            dump.fromReplica(packet);
            return;
        }
        if (admin != null && admin.busy()) {
            waitingForAdmin.addLast(packet.retain());
            return;
        }
        lastClientSequence = packet.sequenceId();
        lastFromClient = true;
        final boolean command = packet.sequenceId() == 0;
        if (command && replication != null && !toReplicaHandler(packet)) {
            return;
        }
        if (command && admin != null && packet.firstByte() == Commands.COM_QUERY) {
            if (admin.onQuery(packet, capabilities, link::toMaster)) {
                return;
            }
            admin.onFlush(packet);
            final Packet rewritten = admin.rewrite(packet);
            if (rewritten != null) {
                try {
                    toMaster(rewritten, true);
                } finally {
                    rewritten.release();
                }
                return;
            }
        }
        toMaster(packet, command);
    }

    /** Sends a command (or a packet of one) to the master through the commit gate. Does not take ownership. */
    private void toMaster(final Packet packet, final boolean command) {
        if (gate != null) {
            gate.onCommand(packet);
            if (command && !gate.probing()) {
                // these reset or rewrite the session's tracked variables: add ours again when they succeed
                final int kind = packet.firstByte();
                reapplyTracking = kind == Commands.COM_CHANGE_USER
                        || kind == Commands.COM_RESET_CONNECTION
                        || (kind == Commands.COM_QUERY && QueryBytes.contains(packet.payload(), SESSION_TRACK));
            }
        }
        link.toMaster(packet.retain());
        if (command && packet.firstByte() == Commands.COM_QUIT) {
            link.quit();
        }
    }

    /** Lets the replica handler look at a command; false when it answered it (nothing goes to the master). */
    private boolean toReplicaHandler(final Packet packet) {
        final ReplicationCommands.Decision decision = replication.onCommand(packet, capabilities, client.alloc());
        if (decision instanceof ReplicationCommands.Answer answer) {
            answer.packets().forEach(client::write);
            client.flush();
            return false;
        }
        if (decision instanceof ReplicationCommands.Rewrite rewrite) {
            link.toMaster(rewrite.packet());
            return false;
        }
        if (decision instanceof ReplicationCommands.StartDump start) {
            gate = null; // a dump's answer is a binlog stream, not statement results
            dump = new ReplicaDump(start.stream(), relay, client, masterConnectionId, link::resumeMasterReads);
        }
        return true;
    }

    /** A packet from the master. Does not take ownership. */
    void fromMaster(final Packet packet) {
        lastFromClient = false;
        if (admin != null && admin.checking()) {
            admin.onAnswer(packet, user, this::replayWaiting);
            return;
        }
        if (dump != null) {
            if (dump.fromMaster(packet)) {
                link.closeMaster();
            }
            return;
        }
        if (gate != null && gate.onResponse(packet)) {
            return;
        }
        if (reapplyTracking && gate.responseComplete() && packet.isOk()) {
            // the client changed the tracked variables (drivers do on connect): add ours again before it sees its OK
            reapplyTracking = false;
            link.reenableTracking(packet.retain());
            return;
        }
        client.write(packet.retain(), client.voidPromise());
    }

    private void replayWaiting() {
        while (!waitingForAdmin.isEmpty() && !admin.busy() && client.isActive()) {
            final Packet next = waitingForAdmin.pollFirst();
            try {
                fromClient(next);
            } finally {
                next.release();
            }
        }
        client.flush();
    }

    /** Whether this connection asked for a binlog dump (a replica). Read from other threads: a snapshot. */
    boolean replicaDump() {
        return dump != null;
    }

    /** Whether the ring serves this connection's dump (its master connection was closed on purpose). */
    boolean servedFromRing() {
        return dump != null && dump.servedFromRing();
    }

    /** Whether a replica's dump is held at the quorum's position (AFTER_SYNC): the master must not be read. */
    boolean dumpHeld() {
        final ReplicaDump d = dump;
        return d != null && d.held();
    }

    /** The replica's socket takes data again. */
    void replicaWritable() {
        if (servedFromRing()) {
            dump.writable();
        }
    }

    /** The sequence id of an ERR sent to the client now (after its last command, or unsolicited). */
    int errorSequence() {
        return lastFromClient ? lastClientSequence + 1 : 1;
    }

    /** The session ended. */
    void closed() {
        if (dump != null) {
            dump.closed();
            dump = null;
        }
        if (gate != null) {
            gate.closed();
        }
        waitingForAdmin.forEach(Packet::release);
        waitingForAdmin.clear();
    }
}
