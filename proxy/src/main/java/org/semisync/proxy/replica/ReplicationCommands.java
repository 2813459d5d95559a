package org.semisync.proxy.replica;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.semisync.ack.AckTracker;
import org.semisync.proxy.binlog.RelayHub;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.MalformedPacketException;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.QueryBytes;
import org.semisync.proxy.protocol.ResultSetWriter;

/**
 * What a replica sends before its dump, as far as the proxy must answer or watch it. The semi-sync probe is answered
 * as the plugin on the master would, with the proxy's {@code rpl_semi_sync_master_enabled} ({@code SHOW VARIABLES
 * LIKE 'rpl_semi_sync_master_enabled'}, {@code SELECT @@global.rpl_semi_sync_master_enabled} / {@code
 * _source_enabled}): a replica that connects while it is OFF replicates asynchronously until it reconnects, as with
 * the plugin. {@code SET
 * @rpl_semi_sync_slave=1} / {@code @rpl_semi_sync_replica=1} is accepted here — neither reaches the master, so a
 * master that has the plugin does not frame the stream a second time. COM_REGISTER_SLAVE and COM_BINLOG_DUMP go to
 * the master (it checks REPLICATION SLAVE and serves the events); the dump's answer then runs through a
 * {@link DumpStream}. Every other command is relayed untouched. One instance per client connection.
 */
public final class ReplicationCommands {
    private static final Pattern SHOW_PROBE =
            Pattern.compile("show\\s+(global\\s+)?variables\\s+like\\s+'rpl_semi_sync_master_enabled'");
    private static final Pattern SELECT_PROBE =
            Pattern.compile("select\\s+@@global\\.rpl_semi_sync_(master|source)_enabled");
    private static final Pattern SET_SEMI_SYNC = Pattern.compile(
            "set\\s+@rpl_semi_sync_(slave|replica)\\s*=\\s*1(\\s*,\\s*@rpl_semi_sync_(slave|replica)\\s*=\\s*1)?");

    private static final Pattern HEARTBEAT = Pattern.compile("@master_heartbeat_period\\s*=\\s*(\\d+)");
    private static final Pattern CONNECT_STATE = Pattern.compile("^set @slave_connect_state\\s*=");
    private static final Pattern CAPABILITY = Pattern.compile("@mariadb_slave_capability\\s*=\\s*(\\d+)");
    /** COM_BINLOG_DUMP flag: the replica wants Annotate_rows events (it logs them itself). */
    private static final int BINLOG_SEND_ANNOTATE_ROWS_EVENT = 0x02;
    /** {@code @mariadb_slave_capability} from which a replica copes with events left out of its stream. */
    private static final int CAPABILITY_TOLERATE_HOLES = 2;

    private static final Pattern KILL = Pattern.compile("kill (?:connection )?(\\d+)");
    private static final Pattern SHOW_HOSTS = Pattern.compile("show (?:slave|replica) hosts");

    private final AckTracker tracker;
    /** The shared relay, or null when every dump is the master's own. */
    private final RelayHub relay;
    /** This client connection (a replica's registration lasts as long as it). */
    private final Channel connection;

    private boolean semiSyncRequested;
    private boolean gtidMode;
    private long heartbeatNanos;
    /** {@code @mariadb_slave_capability}: 0 for a MySQL or a very old MariaDB replica. */
    private int slaveCapability;

    private String registeredServerId;

    public ReplicationCommands(final AckTracker tracker, final RelayHub relay, final Channel connection) {
        this.tracker = tracker;
        this.relay = relay;
        this.connection = connection;
    }

    /** What to do with a client command. */
    public sealed interface Decision permits Relay, Answer, Rewrite, StartDump {}

    /** Relay the command to the master unchanged. */
    public record Relay() implements Decision {}

    /** Answer with these packets; do not relay. */
    public record Answer(List<Packet> packets) implements Decision {}

    /** Relay the dump command; from now on the master's packets go through {@code stream}. */
    public record StartDump(DumpStream stream) implements Decision {}

    /** Send {@code packet} (owned by the receiver) to the master instead of the command. */
    public record Rewrite(Packet packet) implements Decision {}

    /**
     * The heartbeat period asked of the master for a dump it serves. A replica that connects with everything the
     * master has gets no event in GTID mode (the master skips what it has) until the next transaction: only a
     * heartbeat tells the proxy that the replica's position is the master's end (which it then counts as
     * acknowledged, and where it joins the ring). The replica's own period (often 30 s) applies once the ring
     * serves it.
     */
    static final long MASTER_HEARTBEAT_NANOS = 250_000_000L;

    private static final Relay RELAY = new Relay();

    /** Looks at one command packet (sequence id 0) from an authenticated client. Does not take ownership. */
    public Decision onCommand(final Packet packet, final long clientCapabilities, final ByteBufAllocator alloc) {
        final ByteBuf p = packet.payload();
        switch (packet.firstByte()) {
            case Commands.COM_QUERY -> {
                if (p.readableBytes() > MAX_REPLICATION_QUERY || !mayConcernReplication(p)) {
                    return RELAY; // every client's queries pass here: decode only the few that can match below
                }
                final String sql = normalise(QueryBytes.text(p));
                final boolean enabled = tracker.status().settings().enabled();
                if (SHOW_PROBE.matcher(sql).matches()) {
                    return new Answer(ResultSetWriter.write(
                            alloc,
                            packet.sequenceId(),
                            clientCapabilities,
                            List.of("Variable_name", "Value"),
                            List.of(List.of("rpl_semi_sync_master_enabled", enabled ? "ON" : "OFF"))));
                }
                final java.util.regex.Matcher select = SELECT_PROBE.matcher(sql);
                if (select.matches()) {
                    return new Answer(ResultSetWriter.write(
                            alloc,
                            packet.sequenceId(),
                            clientCapabilities,
                            List.of("@@global.rpl_semi_sync_" + select.group(1) + "_enabled"),
                            List.of(List.of(enabled ? "1" : "0"))));
                }
                if (SET_SEMI_SYNC.matcher(sql).matches()) {
                    semiSyncRequested = true;
                    return new Answer(List.of(ResultSetWriter.ok(alloc, packet.sequenceId())));
                }
                // noted on their way to the master: the dump depends on them
                final java.util.regex.Matcher heartbeat = HEARTBEAT.matcher(sql);
                if (heartbeat.find()) {
                    heartbeatNanos = Long.parseLong(heartbeat.group(1));
                    if (heartbeatNanos > MASTER_HEARTBEAT_NANOS && sql.startsWith("set @master_heartbeat_period")) {
                        return new Rewrite(
                                Commands.query(alloc, "SET @master_heartbeat_period = " + MASTER_HEARTBEAT_NANOS));
                    }
                }
                if (CONNECT_STATE.matcher(sql).find()) {
                    gtidMode = true;
                }
                final java.util.regex.Matcher capability = CAPABILITY.matcher(sql);
                if (capability.find()) {
                    slaveCapability = Integer.parseInt(capability.group(1));
                }
                final java.util.regex.Matcher kill = KILL.matcher(sql);
                if (relay != null && kill.matches() && relay.kill(Long.parseLong(kill.group(1)))) {
                    // a semi-sync replica's STOP SLAVE kills its old dump, which the ring serves here
                    return new Answer(List.of(ResultSetWriter.ok(alloc, packet.sequenceId())));
                }
                if (relay != null && SHOW_HOSTS.matcher(sql).matches()) {
                    // the master sees the ring's replicas as one dump (the tail's): list those the proxy serves
                    return new Answer(ResultSetWriter.write(
                            alloc, packet.sequenceId(), clientCapabilities, HOSTS_COLUMNS, hostRows()));
                }
                return RELAY;
            }
            case Commands.COM_REGISTER_SLAVE -> {
                final RelayHub.ReplicaHost host = RegisterSlave.parse(p, connection.remoteAddress());
                registeredServerId = Long.toString(host.serverId());
                if (relay != null) {
                    relay.registered(connection, host);
                }
                return RELAY;
            }
            case Commands.COM_BINLOG_DUMP -> {
                // [0x12][pos u32][flags u16][server id u32][file name: rest of the packet]
                if (p.readableBytes() < 11) {
                    throw new MalformedPacketException("COM_BINLOG_DUMP shorter than 11 bytes");
                }
                final int base = p.readerIndex();
                final long position = p.getUnsignedIntLE(base + 1);
                final int flags = p.getUnsignedShortLE(base + 5);
                final String serverId = Long.toString(p.getUnsignedIntLE(base + 7));
                final String file = p.toString(base + 11, p.readableBytes() - 11, StandardCharsets.UTF_8);
                final String id = registeredServerId != null ? registeredServerId : serverId;
                final DumpStream stream =
                        new DumpStream(id, semiSyncRequested, tracker, alloc, file, position, gtidMode, heartbeatNanos);
                // The shared tail asks for Annotate_rows; the master leaves them out for a replica that did not ask
                // and copes with holes (sql_repl.cc, send_event_to_slave), so the ring does too. An older replica
                // gets them as before (the master would send it a dummy event of the same size).
                if ((flags & BINLOG_SEND_ANNOTATE_ROWS_EVENT) == 0 && slaveCapability >= CAPABILITY_TOLERATE_HOLES) {
                    stream.omitAnnotateRows();
                }
                return new StartDump(stream);
            }
            default -> {
                return RELAY;
            }
        }
    }

    private static final List<String> HOSTS_COLUMNS = List.of("Server_id", "Host", "Port", "Master_id");

    private List<List<String>> hostRows() {
        final String masterId = Long.toString(relay.masterServerId());
        return relay.replicaHosts().stream()
                .map(h -> List.of(Long.toString(h.serverId()), h.host(), Integer.toString(h.port()), masterId))
                .toList();
    }

    /**
     * Longest query looked at: what a replica sends before its dump (and KILL, SHOW SLAVE HOSTS) is far shorter, and a
     * bulk INSERT of half a megabyte (sysbench's prepare) is not scanned five times over for those words.
     */
    static final int MAX_REPLICATION_QUERY = 1024;

    private static final QueryBytes.Word SEMI_SYNC = QueryBytes.word("rpl_semi_sync");
    private static final QueryBytes.Word HOSTS = QueryBytes.word("hosts");
    private static final QueryBytes.Word HEARTBEAT_VARIABLE = QueryBytes.word("@master_heartbeat_period");
    private static final QueryBytes.Word CONNECT_STATE_VARIABLE = QueryBytes.word("@slave_connect_state");
    private static final QueryBytes.Word CAPABILITY_VARIABLE = QueryBytes.word("@mariadb_slave_capability");
    private static final QueryBytes.Word KILL_WORD = QueryBytes.word("kill");

    /** Whether a COM_QUERY holds a word one of the patterns above needs (case-insensitive, bytes only). */
    private static boolean mayConcernReplication(final ByteBuf query) {
        return QueryBytes.contains(query, SEMI_SYNC)
                || QueryBytes.contains(query, HEARTBEAT_VARIABLE)
                || QueryBytes.contains(query, CONNECT_STATE_VARIABLE)
                || QueryBytes.contains(query, CAPABILITY_VARIABLE)
                || QueryBytes.contains(query, KILL_WORD)
                || QueryBytes.contains(query, HOSTS);
    }

    /** Lower case, single spaces, no trailing semicolon: the forms replicas send vary only in that. */
    static String normalise(final String sql) {
        String s = sql.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }
}
