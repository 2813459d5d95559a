package org.semisync.proxy.testing;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.semisync.ack.AckTracker;
import org.semisync.ack.ReleaseObserver;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.proxy.binlog.RelayHub;
import org.semisync.proxy.client.FrontendServer;
import org.semisync.proxy.client.SemiSyncServices;
import org.semisync.proxy.commit.PositionProbes;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.config.ProxyConfig;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.net.EventLoops;
import org.semisync.proxy.tls.TlsContexts;

/** An in-process proxy on a free 127.0.0.1 port in front of {@code 127.0.0.1:masterPort}. */
public final class ProxyUnderTest implements AutoCloseable {
    private final FrontendServer server;
    private final AckTracker tracker;
    private final PositionProbes probes;
    private final RelayHub relay;
    /** Shared by the server and the relay's tail; null when the server has its own. */
    private final EventLoops loops;

    private ProxyUnderTest(
            final FrontendServer server,
            final AckTracker tracker,
            final PositionProbes probes,
            final RelayHub relay,
            final EventLoops loops) {
        this.server = server;
        this.tracker = tracker;
        this.probes = probes;
        this.relay = relay;
        this.loops = loops;
    }

    /** The ring tests use unless they ask for another: 4 MiB (16,384 slots). */
    public static final long TEST_RING_BYTES = 4L << 20;

    private static RelayHub startRelay(final ProxyConfig config, final AckTracker tracker, final EventLoops loops) {
        try {
            return RelayHub.start(
                    config.master(),
                    EmbeddedMariaDb.REPL_USER,
                    EmbeddedMariaDb.REPL_PASSWORD,
                    4_000_000_001L,
                    config.ringBytes(),
                    tracker,
                    loops);
        } catch (java.io.IOException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("relay tail did not start: " + e.getMessage(), e);
        }
    }

    /** The shared relay (null for a plain relay). */
    public RelayHub relay() {
        return relay;
    }

    /** A proxy that serves replicas with semi-sync and feeds their ACKs to a tracker with {@code settings}. */
    public static ProxyUnderTest withTracker(final int masterPort, final SemiSyncSettings settings) {
        return withTracker(masterPort, settings, (outcome, nanos) -> {}, TEST_RING_BYTES);
    }

    /** As {@link #withTracker(int, SemiSyncSettings)} with a ring of {@code ringBytes}. */
    public static ProxyUnderTest withTracker(
            final int masterPort, final SemiSyncSettings settings, final long ringBytes) {
        return withTracker(masterPort, settings, (outcome, nanos) -> {}, ringBytes);
    }

    /**
     * As {@link #withTracker(int, SemiSyncSettings)}, with {@code observer} told of every released commit and a ring
     * of {@code ringBytes}.
     */
    public static ProxyUnderTest withTracker(
            final int masterPort,
            final SemiSyncSettings settings,
            final ReleaseObserver observer,
            final long ringBytes) {
        final ProxyConfig config = ProxyConfig.builder()
                .master(new HostPort("127.0.0.1", masterPort))
                .listen(new HostPort("127.0.0.1", 0))
                .connectTimeout(Duration.ofSeconds(2))
                .ringBytes(ringBytes)
                .build();
        final AckTracker tracker = AckTracker.builder()
                .settings(settings)
                .releaseObserver(observer)
                .build()
                .start();
        final PositionProbes probes =
                PositionProbes.connect(config.master(), EmbeddedMariaDb.REPL_USER, EmbeddedMariaDb.REPL_PASSWORD, 2);
        final EventLoops loops = EventLoops.create();
        final RelayHub relay = startRelay(config, tracker, loops);
        return new ProxyUnderTest(
                FrontendServer.start(
                        config, TlsContexts.create(config), new SemiSyncServices(tracker, probes, relay), loops),
                tracker,
                probes,
                relay,
                loops);
    }

    /** The position probes (null for a plain relay). */
    public PositionProbes probes() {
        return probes;
    }

    /** The tracker (null for a plain relay). */
    public AckTracker tracker() {
        return tracker;
    }

    public static ProxyUnderTest start(final int masterPort) {
        return start(masterPort, UnaryOperator.identity());
    }

    public static ProxyUnderTest start(final int masterPort, final UnaryOperator<ProxyConfig.Builder> customize) {
        final ProxyConfig config = customize
                .apply(ProxyConfig.builder()
                        .master(new HostPort("127.0.0.1", masterPort))
                        .listen(new HostPort("127.0.0.1", 0))
                        .connectTimeout(Duration.ofSeconds(2)))
                .build();
        return new ProxyUnderTest(FrontendServer.start(config, TlsContexts.create(config)), null, null, null, null);
    }

    public int port() {
        return server.localAddress().getPort();
    }

    public FrontendServer server() {
        return server;
    }

    /** A MariaDB Connector/J URL through the proxy. */
    public String mariadbUrl(final String database, final String options) {
        return "jdbc:mariadb://127.0.0.1:" + port() + "/" + database + (options.isEmpty() ? "" : "?" + options);
    }

    /** A MySQL Connector/J URL through the proxy. */
    public String mysqlUrl(final String database, final String options) {
        return "jdbc:mysql://127.0.0.1:" + port() + "/" + database + "?sslMode=DISABLED"
                + (options.isEmpty() ? "" : "&" + options);
    }

    @Override
    public void close() {
        server.close();
        if (tracker != null) {
            tracker.close();
        }
        if (probes != null) {
            probes.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (loops != null) {
            loops.close();
        }
    }
}
