package org.semisync.proxy.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.SemiSyncStatus;
import org.semisync.ack.WaitPoint;
import org.semisync.proxy.binlog.RelayHub;
import org.semisync.proxy.client.FrontendServer;
import org.semisync.proxy.client.SemiSyncServices;
import org.semisync.proxy.client.SessionCounters;
import org.semisync.proxy.commit.PositionProbes;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.config.ProxyConfig;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.demo.Replicas;
import org.semisync.proxy.net.EventLoops;
import org.semisync.proxy.tls.TlsContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code semisync-proxy demo}: an embedded master (downloaded and unpacked on first run) with the proxy in front,
 * ready for JDBC, the mariadb CLI and sysbench. Ctrl-C stops everything and removes the data directory.
 *
 * <p>Replicas (embedded 11.4.5, semi-sync ON) replicate through the proxy and ACK to it; holding the clients'
 * commits until those ACKs arrive is the next step (see the README's status section).
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Start an embedded MariaDB master with the proxy in front of it (first run downloads it).")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    LogLevelOption logging = new LogLevelOption();

    @Option(
            names = "--master-version",
            paramLabel = "V",
            defaultValue = "10.2.11",
            description = "Embedded master: 10.1.23, 10.2.11 or 11.4.5 (default ${DEFAULT-VALUE}).")
    String masterVersion;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:3307",
            description = "Where the proxy listens (default ${DEFAULT-VALUE}).")
    String listen;

    @Option(
            names = "--replicas",
            paramLabel = "N",
            defaultValue = "2",
            description =
                    "Embedded 11.4.5 semi-sync replicas replicating through the proxy (default ${DEFAULT-VALUE}).")
    int replicas;

    @Override
    public Integer call() throws Exception {
        logging.apply();
        final PrintStream out = System.out;
        final MariaDbVersion version = MariaDbVersion.of(masterVersion);
        final HostPort listenAt = HostPort.parse(listen, 3307);
        out.println("semisync-proxy demo: starting an embedded " + version + " master (first run downloads it)...");
        final EmbeddedMariaDb master = EmbeddedMariaDb.builder(version)
                .name("demo-master")
                .serverId(1)
                .progress(line -> out.println("  " + line))
                .build();
        final List<EmbeddedMariaDb> replicaServers = new ArrayList<>();
        for (int i = 1; i <= replicas; i++) {
            replicaServers.add(EmbeddedMariaDb.builder(MariaDbVersion.V11_4_5)
                    .name("demo-replica" + i)
                    .serverId(1 + i)
                    .option("rpl-semi-sync-slave-enabled", "ON")
                    .progress(line -> out.println("  " + line))
                    .build());
        }
        final CountDownLatch stop = new CountDownLatch(1);
        final StatusPrinter status = StatusPrinter.forStandardOutput();
        final FrontendServer[] proxy = new FrontendServer[1];
        final PositionProbes[] probes = new PositionProbes[1];
        final RelayHub[] relay = new RelayHub[1];
        final WaitWindow window = new WaitWindow();
        final AckTracker tracker = AckTracker.builder()
                .settings(SemiSyncSettings.DEFAULTS)
                .releaseObserver(window)
                .build()
                .start();
        final EventLoops loops = EventLoops.create();
        final Thread shutdown = new Thread(
                () -> {
                    status.finish();
                    out.println("semisync-proxy demo: stopping");
                    replicaServers.forEach(EmbeddedMariaDb::close);
                    if (proxy[0] != null) {
                        proxy[0].close();
                    }
                    if (relay[0] != null) {
                        relay[0].close();
                    }
                    loops.close();
                    tracker.close();
                    if (probes[0] != null) {
                        probes[0].close();
                    }
                    master.close();
                    stop.countDown();
                },
                "semisync-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        master.start();
        final ProxyConfig config = ProxyConfig.builder()
                .master(new HostPort("127.0.0.1", master.port()))
                .listen(listenAt)
                .replicationUser(EmbeddedMariaDb.REPL_USER)
                .replicationPassword(EmbeddedMariaDb.REPL_PASSWORD)
                .build();
        probes[0] = RunCommand.positionProbes(config);
        relay[0] = RunCommand.relay(config, tracker, loops);
        proxy[0] = FrontendServer.start(
                config, TlsContexts.create(config), new SemiSyncServices(tracker, probes[0], relay[0]), loops);
        final int port = proxy[0].localAddress().getPort();
        final String start = master.queryString("SELECT @@gtid_binlog_pos");
        for (EmbeddedMariaDb replica : replicaServers) {
            replica.start();
            Replicas.pointAt(replica, "127.0.0.1", port, Replicas.Mode.GTID, start);
        }
        final String host = listenAt.host();
        out.println();
        out.println(
                "  master    " + version + " on 127.0.0.1:" + master.port() + " (data in " + master.baseDir() + ")");
        out.println("  proxy     " + host + ":" + port);
        out.println("  JDBC      jdbc:mariadb://" + host + ":" + port + "/app?user=app&password=app_pass");
        out.println("  CLI       mariadb -h" + host + " -P" + port + " -uapp -papp_pass --skip-ssl app");
        out.println("  sysbench  sysbench oltp_read_write --mysql-host=" + host + " --mysql-port=" + port
                + " --mysql-user=app --mysql-password=app_pass --mysql-db=app --tables=4 --table-size=10000"
                + " --threads=8 --time=30 prepare   # then: run");
        for (EmbeddedMariaDb replica : replicaServers) {
            out.println("  replica   " + replica.version() + " on 127.0.0.1:" + replica.port() + " (server_id "
                    + replica.serverId() + "), replicating through the proxy with rpl_semi_sync_slave_enabled=ON");
        }
        out.println("  note      every commit through the proxy waits for a replica's ACK (or the 10 s timeout)");
        out.println("ready: listening on " + host + ":" + port + "   (Ctrl-C stops everything)");
        out.flush();
        final SessionCounters counters = proxy[0].counters();
        long released = 0;
        while (!stop.await(STATUS_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
            final SemiSyncStatus s = tracker.status();
            final WaitWindow.Summary waits = window.drain();
            final long total = s.yesTx() + s.noTx();
            status.show(statusLine(s, (total - released) / (double) STATUS_SECONDS, waits, counters));
            released = total;
        }
        return 0;
    }

    private static final int STATUS_SECONDS = 5;

    /** One live status line: semi-sync state, commit rate, commits held now, ACK waits, replicas and their lag. */
    static String statusLine(
            final SemiSyncStatus s,
            final double commitsPerSecond,
            final WaitWindow.Summary waits,
            final SessionCounters counters) {
        final StringBuilder line = new StringBuilder(160);
        line.append(String.format(
                "  status: semi-sync %s %s | %.0f commits/s | %d held now%s | ACK wait p50 %.2f ms p99 %.2f ms |",
                s.on() ? "ON" : "OFF",
                s.settings().waitPoint(),
                commitsPerSecond,
                s.waitSessions(),
                s.settings().waitPoint() == WaitPoint.AFTER_SYNC ? ", " + s.readsWaiting() + " reads held" : "",
                waits.p50Micros() / 1000.0,
                waits.p99Micros() / 1000.0));
        line.append(' ').append(s.clients()).append(" replicas");
        for (SemiSyncStatus.ReplicaView r : s.replicas()) {
            line.append(' ').append(r.id()).append(": ").append(lag(r.watermark(), s.newestCommitted()));
        }
        line.append(" | ").append(counters.open()).append(" clients");
        return line.toString();
    }

    /** How far a replica's acknowledged position is behind the newest commit. */
    private static String lag(final BinlogPosition acked, final BinlogPosition newest) {
        if (acked == null || newest == null) {
            return "no ACK yet";
        }
        if (acked.compareTo(newest) >= 0) {
            return "up to date";
        }
        return acked.file().equals(newest.file())
                ? (newest.offset() - acked.offset()) + " bytes behind"
                : "behind by files (" + acked + ")";
    }
}
