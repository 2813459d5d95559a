package org.semisync.proxy.replica;

import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semisync.proxy.client.CommandContext;
import org.semisync.proxy.client.CommandInterceptor;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a client connection into a replica session when it asks for a binlog dump. Until then everything goes to the
 * master (it authenticates the replica, answers its clock, server_id and checksum queries and checks REPLICATION SLAVE
 * on COM_REGISTER_SLAVE), except the semi-sync probe and enable, which the proxy answers as a master with the plugin
 * installed. The user variables the dump depends on are noted on the way through.
 */
public final class ReplicaInterceptor implements CommandInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaInterceptor.class);
    private static final Pattern HEARTBEAT = Pattern.compile("set @master_heartbeat_period\\s*=\\s*(\\d+)");
    private static final Pattern CONNECT_STATE = Pattern.compile("set @slave_connect_state\\s*=\\s*'([^']*)'");
    private static final Pattern SEMI_SYNC_ON =
            Pattern.compile("set @rpl_semi_sync_(slave|replica)\\s*=\\s*1(\\s*,\\s*@rpl_semi_sync_slave\\s*=\\s*1)?");

    private final RelaySource source;
    private boolean semiSync;
    private long heartbeatNanos;
    private String connectState = "";
    private RegisterSlaveRequest registration;

    public ReplicaInterceptor(final RelaySource source) {
        this.source = source;
    }

    @Override
    public boolean onCommand(final Packet command, final CommandContext context) {
        final int type = command.firstByte();
        if (type == Commands.COM_QUERY) {
            return onQuery(command, context);
        }
        if (type == Commands.COM_REGISTER_SLAVE) {
            registration = RegisterSlaveRequest.parse(command.payload());
            return false; // the master checks REPLICATION SLAVE and answers
        }
        if (type == Commands.COM_BINLOG_DUMP || type == Commands.COM_BINLOG_DUMP_GTID) {
            startDump(DumpRequest.parse(command.payload()), context);
            return true;
        }
        return false;
    }

    private boolean onQuery(final Packet command, final CommandContext context) {
        final String sql = command.payload()
                .toString(1, command.length() - 1, StandardCharsets.UTF_8)
                .strip()
                .replaceAll("\\s+", " ")
                .toLowerCase(Locale.ROOT);
        final Channel client = context.client();
        if (sql.equals("show variables like 'rpl_semi_sync_master_enabled'")) {
            writeAll(
                    client,
                    LocalAnswers.row(
                            client.alloc(),
                            context.clientCapabilities(),
                            new String[] {"Variable_name", "Value"},
                            new String[] {"rpl_semi_sync_master_enabled", "ON"}));
            return true;
        }
        if (sql.equals("select @@global.rpl_semi_sync_master_enabled")
                || sql.equals("select @@global.rpl_semi_sync_source_enabled")) {
            writeAll(
                    client,
                    LocalAnswers.row(
                            client.alloc(),
                            context.clientCapabilities(),
                            new String[] {sql.substring(7)},
                            new String[] {"1"}));
            return true;
        }
        if (SEMI_SYNC_ON.matcher(sql).matches()) {
            semiSync = true;
            client.writeAndFlush(LocalAnswers.ok(client.alloc(), 1));
            return true;
        }
        Matcher m = HEARTBEAT.matcher(sql);
        if (m.lookingAt()) {
            heartbeatNanos = Long.parseLong(m.group(1));
        }
        m = CONNECT_STATE.matcher(sql);
        if (m.matches()) {
            connectState = m.group(1);
        }
        return false;
    }

    private void startDump(final DumpRequest request, final CommandContext context) {
        final Channel client = context.client();
        if (registration == null) {
            // The master checks REPLICATION SLAVE on COM_REGISTER_SLAVE; a dump without it would skip that check.
            final ErrPacket err = new ErrPacket(
                    ReplicaDumpSession.ER_MASTER_FATAL_ERROR_READING_BINLOG,
                    "HY000",
                    "semisync-proxy: COM_REGISTER_SLAVE must precede the binlog dump");
            client.writeAndFlush(err.toPacket(client.alloc(), 1));
            return;
        }
        final String replicaId = String.valueOf(registration != null ? registration.serverId() : request.serverId());
        final StartPoint start;
        if (request.command() == Commands.COM_BINLOG_DUMP_GTID) {
            start = null; // MySQL GTID sets are not resolved against the ring yet
        } else if (!connectState.isEmpty()) {
            start = StartPoint.ofGtidState(source.ring(), connectState);
        } else {
            start = StartPoint.ofPosition(source.ring(), request.file(), request.position());
        }
        if (start == null || source.formatDescription().get() == null) {
            final String where = connectState.isEmpty() ? request.file() + ":" + request.position() : connectState;
            LOG.warn("replica - {} asked for {}, which the proxy's ring does not hold", replicaId, where);
            final ErrPacket err = new ErrPacket(
                    ReplicaDumpSession.ER_MASTER_FATAL_ERROR_READING_BINLOG,
                    "HY000",
                    "semisync-proxy: start " + where + " is not in the proxy's ring (catch-up from the master is not"
                            + " implemented)");
            client.writeAndFlush(err.toPacket(client.alloc(), 1));
            return;
        }
        context.takeOver();
        client.pipeline()
                .addLast(
                        "replica-dump",
                        new ReplicaDumpSession(
                                new DumpSettings(replicaId, semiSync, heartbeatNanos, source.masterServerId()),
                                start.sequence(),
                                start.file(),
                                start.position(),
                                source.ring(),
                                source.events(),
                                source.acks(),
                                source.formatDescription()));
    }

    private static void writeAll(final Channel client, final java.util.List<Packet> packets) {
        packets.forEach(client::write);
        client.flush();
    }
}
