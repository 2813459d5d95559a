package org.semisync.proxy.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.semisync.ack.AckTracker;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.WaitPoint;
import org.semisync.proxy.binlog.RelayHub;
import org.semisync.proxy.client.FrontendServer;
import org.semisync.proxy.client.SemiSyncServices;
import org.semisync.proxy.commit.DetectionMode;
import org.semisync.proxy.commit.PositionProbes;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.config.ProxyConfig;
import org.semisync.proxy.health.HealthEndpoints;
import org.semisync.proxy.health.MasterReachability;
import org.semisync.proxy.health.Readiness;
import org.semisync.proxy.health.ServingState;
import org.semisync.proxy.logging.Causes;
import org.semisync.proxy.metrics.MetricsServer;
import org.semisync.proxy.metrics.PrometheusMetrics;
import org.semisync.proxy.metrics.ProxyMetrics;
import org.semisync.proxy.net.EventLoops;
import org.semisync.proxy.tls.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code semisync-proxy run}: start the proxy in front of a master and serve until stopped. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run the proxy in front of a master. Every option can also be set as SEMISYNC_PROXY_<NAME>"
                + " in the environment or as <name>: value in the --config YAML file.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    LogLevelOption logging = new LogLevelOption();

    @Option(names = "--master", paramLabel = "HOST:PORT", description = "The master (port default 3306).")
    String master;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:3307",
            description = "Where clients and replicas connect (default ${DEFAULT-VALUE}).")
    String listen;

    @Option(
            names = "--replication-user",
            paramLabel = "USER",
            description = "Account with REPLICATION SLAVE/CLIENT for the binlog tail and control queries.")
    String replicationUser;

    @Option(names = "--replication-password", paramLabel = "PASSWORD", description = "Its password.")
    String replicationPassword;

    @Option(
            names = "--timeout",
            paramLabel = "MS",
            defaultValue = "10000",
            description = "rpl_semi_sync_master_timeout in ms (default ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(
            names = "--wait-for-slave-count",
            paramLabel = "N",
            defaultValue = "1",
            description = "rpl_semi_sync_master_wait_for_slave_count (default ${DEFAULT-VALUE}).")
    int waitForSlaveCount;

    @Option(
            names = "--wait-no-slave",
            arity = "1",
            paramLabel = "on|off",
            defaultValue = "on",
            converter = OnOffConverter.class,
            description = "rpl_semi_sync_master_wait_no_slave (default ${DEFAULT-VALUE}).")
    boolean waitNoSlave;

    @Option(
            names = "--enforced",
            arity = "0..1",
            fallbackValue = "on",
            defaultValue = "off",
            converter = OnOffConverter.class,
            description = "Never fall back to asynchronous replication.")
    boolean enforced;

    @Option(
            names = "--wait-point",
            paramLabel = "after_commit|after_sync",
            defaultValue = "after_commit",
            converter = WaitPointConverter.class,
            description = "rpl_semi_sync_master_wait_point (default ${DEFAULT-VALUE}). AFTER_SYNC also holds every"
                    + " other response until the replicas have what it could show (lossless reads; needs"
                    + " --replication-user).")
    WaitPoint waitPoint;

    @Option(
            names = "--metrics",
            paramLabel = "HOST:PORT",
            description = "Serve Prometheus metrics at /metrics, liveness at /health and readiness at /ready.")
    String metrics;

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "YAML file with option: value lines.")
    Path config;

    @Option(
            names = "--server-id",
            paramLabel = "N",
            defaultValue = "0",
            description = "server_id of the binlog tail (default: one that does not clash).")
    long serverId;

    @Option(
            names = "--ring-bytes",
            paramLabel = "BYTES",
            defaultValue = "64M",
            converter = ByteSizeConverter.class,
            description = "Most bytes of binlog events the shared ring keeps for replicas (K, M, G suffixes; default"
                    + " ${DEFAULT-VALUE}). A replica further behind lags on through a master dump of its own.")
    long ringBytes;

    @Option(
            names = "--tls-cert",
            paramLabel = "PEM",
            description = "Certificate for client TLS (default: self-signed).")
    Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key of --tls-cert.")
    Path tlsKey;

    /** Builds the configuration; {@link IllegalArgumentException} names the bad value. */
    ProxyConfig toConfig() {
        if (master == null) {
            throw new IllegalArgumentException("--master HOST:PORT is required (see --help)");
        }
        return ProxyConfig.builder()
                .master(HostPort.parse(master, 3306))
                .listen(HostPort.parse(listen, 3307))
                .replicationUser(replicationUser)
                .replicationPassword(replicationPassword)
                .timeoutMillis(timeoutMillis)
                .waitForSlaveCount(waitForSlaveCount)
                .waitNoSlave(waitNoSlave)
                .enforced(enforced)
                .waitPoint(waitPoint)
                .metrics(metrics == null ? null : HostPort.parse(metrics, 9404))
                .serverId(serverId)
                .ringBytes(ringBytes)
                .tls(tlsCertificate, tlsKey)
                .build();
    }

    @Override
    public Integer call() throws Exception {
        logging.apply();
        final ProxyConfig cfg = toConfig();
        checkReachable(cfg.master(), cfg.connectTimeout());
        final TlsContexts tls = TlsContexts.create(cfg);
        final AckTracker[] trackerRef = new AckTracker[1];
        final PrometheusMetrics meters = new PrometheusMetrics(() -> trackerRef[0].status());
        final AckTracker tracker = AckTracker.builder()
                .settings(settings(cfg))
                .releaseObserver(meters.releaseObserver())
                .build();
        trackerRef[0] = tracker;
        tracker.start();
        final PositionProbes probes = positionProbes(cfg);
        final EventLoops loops = EventLoops.create();
        final RelayHub relay = relay(cfg, tracker, loops);
        final FrontendServer server =
                FrontendServer.start(cfg, tls, new SemiSyncServices(tracker, probes, relay), loops);
        if (probes == null) {
            LOG.warn("run - no --replication-user: commits on masters or clients without GTID tracking"
                    + " (MariaDB < 10.2.16, MySQL 5.6, clients without CLIENT_SESSION_TRACK) are not held");
        }
        final ServingState serving = new ServingState();
        final AtomicReference<MetricsServer> metricsServer = new AtomicReference<>();
        final AtomicBoolean closed = new AtomicBoolean();
        final CountDownLatch stopped = new CountDownLatch(1);
        final Runnable closeEverything = () -> {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            serving.stopping();
            server.close();
            tracker.close();
            if (relay != null) {
                relay.close();
            }
            loops.close();
            if (probes != null) {
                probes.close();
            }
            final MetricsServer endpoint = metricsServer.get();
            if (endpoint != null) {
                endpoint.close();
            }
            stopped.countDown();
        };
        // SIGTERM and Ctrl-C stop cleanly (held commits and the replicas' ACKs first), then exit 0; the hook covers
        // any other exit
        new GracefulStop(server, tracker, serving::stopping, closeEverything).installSignalHandlers();
        Runtime.getRuntime().addShutdownHook(new Thread(closeEverything, "semisync-shutdown"));
        if (cfg.metrics() != null) {
            meters.bind(new ProxyMetrics(probes, server.counters(), relay));
            metricsServer.set(metricsServer(cfg, meters, health(cfg, serving, tracker, server, relay)));
        }
        final InetSocketAddress bound = server.localAddress();
        System.out.println("ready: listening on " + new HostPort(bound.getHostString(), bound.getPort()));
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static MetricsServer metricsServer(
            final ProxyConfig cfg, final PrometheusMetrics meters, final HealthEndpoints health) {
        try {
            return MetricsServer.start(cfg.metrics(), meters::scrape, health);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve metrics on " + cfg.metrics() + ": " + e.getMessage(), e);
        }
    }

    /** /health and /ready for a running proxy. */
    static HealthEndpoints health(
            final ProxyConfig cfg,
            final ServingState serving,
            final AckTracker tracker,
            final FrontendServer server,
            final RelayHub relay) {
        final MasterReachability master =
                new MasterReachability(cfg.master(), cfg.connectTimeout(), () -> relay != null && relay.streaming());
        final Readiness readiness = new Readiness(
                tracker::status,
                master,
                () -> serving.serving() && server.accepting(),
                () -> relay == null ? null : relay.tailPosition());
        return new HealthEndpoints(serving, readiness);
    }

    /**
     * The control connections for position-probe mode, after checking that they work and showing which mode the
     * master needs; null without --replication-user.
     */
    static PositionProbes positionProbes(final ProxyConfig cfg) throws InterruptedException {
        if (cfg.replicationUser() == null) {
            return null;
        }
        final PositionProbes probes = PositionProbes.connect(
                cfg.master(), cfg.replicationUser(), cfg.replicationPassword(), CONTROL_CONNECTIONS);
        try {
            final DetectionMode mode = probes.pool().detectMode().get(30, TimeUnit.SECONDS);
            probes.pool().masterPosition().get(30, TimeUnit.SECONDS);
            System.out.println("commit detection: " + mode.description());
            return probes;
        } catch (ExecutionException | TimeoutException e) {
            probes.close();
            final Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("control connection to master " + cfg.master() + " as "
                    + cfg.replicationUser() + " failed (it needs REPLICATION CLIENT for SHOW MASTER STATUS): "
                    + Causes.rootMessage(cause));
        }
    }

    private static final int CONTROL_CONNECTIONS = 2;

    /**
     * The shared binlog relay (one tail from the master, one ring for every replica); null without
     * --replication-user (then every replica gets the master's own dump, relayed).
     */
    static RelayHub relay(final ProxyConfig cfg, final AckTracker tracker, final EventLoops loops) {
        if (cfg.replicationUser() == null) {
            return null;
        }
        final long serverId = cfg.serverId() != 0
                ? cfg.serverId()
                : 4_000_000_000L + cfg.listen().port() % 100_000;
        try {
            return RelayHub.start(
                    cfg.master(),
                    cfg.replicationUser(),
                    cfg.replicationPassword(),
                    serverId,
                    cfg.ringBytes(),
                    tracker,
                    loops);
        } catch (java.io.IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            throw new IllegalStateException("binlog tail from master " + cfg.master() + " as " + cfg.replicationUser()
                    + " failed (it needs REPLICATION SLAVE): " + Causes.rootMessage(e));
        }
    }

    /** The semi-sync variables of a configuration. */
    static SemiSyncSettings settings(final ProxyConfig cfg) {
        return new SemiSyncSettings(
                true, cfg.timeoutMillis(), cfg.waitForSlaveCount(), cfg.waitNoSlave(), cfg.enforced(), cfg.waitPoint());
    }

    private static void checkReachable(final HostPort master, final Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(master.host(), master.port()), (int) timeout.toMillis());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach master " + master + ": " + e.getMessage());
        }
    }
}
