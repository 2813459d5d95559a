package org.semisync.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.semisync.ack.ReleaseObserver;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.demo.Replicas;

/**
 * A master of some version, the proxy with a tracker and position probes, and two 11.4.5 semi-sync replicas that
 * replicate through the proxy in GTID mode: what the commit tests need. Everything stops on close.
 */
public final class GateCluster implements AutoCloseable {
    private final EmbeddedMariaDb master;
    private final EmbeddedMariaDb replica1;
    private final EmbeddedMariaDb replica2;
    private final ProxyUnderTest proxy;

    private GateCluster(
            final EmbeddedMariaDb master,
            final EmbeddedMariaDb replica1,
            final EmbeddedMariaDb replica2,
            final ProxyUnderTest proxy) {
        this.master = master;
        this.replica1 = replica1;
        this.replica2 = replica2;
        this.proxy = proxy;
    }

    /** Starts everything; returns once both replicas are connected to the proxy as semi-sync replicas. */
    public static GateCluster start(final MariaDbVersion version, final String name, final SemiSyncSettings settings)
            throws InterruptedException {
        return start(version, name, settings, (outcome, nanos) -> {}, ProxyUnderTest.TEST_RING_BYTES);
    }

    /** As {@link #start(MariaDbVersion, String, SemiSyncSettings)} with a ring of {@code ringBytes}. */
    public static GateCluster start(
            final MariaDbVersion version, final String name, final SemiSyncSettings settings, final long ringBytes)
            throws InterruptedException {
        return start(version, name, settings, (outcome, nanos) -> {}, ringBytes);
    }

    /**
     * As {@link #start(MariaDbVersion, String, SemiSyncSettings)}, with {@code observer} told of every release and a
     * ring of {@code ringBytes}.
     */
    public static GateCluster start(
            final MariaDbVersion version,
            final String name,
            final SemiSyncSettings settings,
            final ReleaseObserver observer,
            final long ringBytes)
            throws InterruptedException {
        final EmbeddedMariaDb master = EmbeddedMariaDb.builder(version)
                .name(name + "-master")
                .serverId(1)
                .build()
                .start();
        EmbeddedMariaDb r1 = null;
        EmbeddedMariaDb r2 = null;
        ProxyUnderTest proxy = null;
        try {
            r1 = SemiSyncTopology.semiSyncReplica(name + "-replica1", 2);
            r2 = SemiSyncTopology.semiSyncReplica(name + "-replica2", 3);
            proxy = ProxyUnderTest.withTracker(master.port(), settings, observer, ringBytes);
            final String start = master.queryString("SELECT @@gtid_binlog_pos");
            for (EmbeddedMariaDb r : List.of(r1, r2)) {
                Replicas.pointAt(r, "127.0.0.1", proxy.port(), Replicas.Mode.GTID, start);
            }
            final GateCluster cluster = new GateCluster(master, r1, r2, proxy);
            SemiSyncTopology.awaitStatus(proxy, s -> s.clients() == 2);
            return cluster;
        } catch (RuntimeException | InterruptedException | Error e) {
            for (AutoCloseable c : new AutoCloseable[] {proxy, r2, r1, master}) {
                closeQuietlyAfter(e, c);
            }
            throw e;
        }
    }

    private static void closeQuietlyAfter(final Throwable failure, final AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    public EmbeddedMariaDb master() {
        return master;
    }

    public List<EmbeddedMariaDb> replicas() {
        return List.of(replica1, replica2);
    }

    public ProxyUnderTest proxy() {
        return proxy;
    }

    /** A MariaDB Connector/J connection through the proxy to database {@code app} as {@code app}. */
    public Connection mariadb(final String options) throws SQLException {
        return DriverManager.getConnection(proxy.mariadbUrl("app", options), "app", "app_pass");
    }

    /** A MySQL Connector/J connection through the proxy to database {@code app} as {@code app}. */
    public Connection mysql(final String options) throws SQLException {
        return DriverManager.getConnection(proxy.mysqlUrl("app", options), "app", "app_pass");
    }

    /** Stops both replicas' IO threads and waits until the proxy sees no semi-sync replica. */
    public void stopReplication() throws InterruptedException {
        for (EmbeddedMariaDb r : replicas()) {
            r.execute("STOP SLAVE IO_THREAD");
        }
        SemiSyncTopology.awaitStatus(proxy, s -> s.clients() == 0);
    }

    /** Starts the IO thread of {@code replica} again. */
    public void startReplication(final EmbeddedMariaDb replica) {
        replica.execute("START SLAVE IO_THREAD");
    }

    /** The master's binlog GTID position now. */
    public String masterGtid() {
        return master.queryString("SELECT @@gtid_binlog_pos");
    }

    /** Whether {@code replica}'s IO thread has received everything up to {@code gtidPosition} (one domain). */
    public static boolean received(final EmbeddedMariaDb replica, final String gtidPosition) {
        return covers(Replicas.status(replica).get("Gtid_IO_Pos"), gtidPosition);
    }

    /** Waits up to 30 s until {@code replica}'s IO thread has received {@code gtidPosition}; fails with its status. */
    public static void awaitReceived(final EmbeddedMariaDb replica, final String gtidPosition)
            throws InterruptedException {
        Waits.until(
                () -> replica.name() + " received " + gtidPosition + " (" + Replicas.status(replica) + ")",
                Duration.ofSeconds(30),
                () -> received(replica, gtidPosition));
    }

    /** Whether a GTID position list includes every GTID of {@code wanted} (domain-server-seq lists, not empty). */
    public static boolean covers(final String position, final String wanted) {
        if (position == null || wanted == null || wanted.isBlank()) {
            return false;
        }
        for (String w : wanted.split(",")) {
            final String[] g = w.trim().split("-");
            boolean found = false;
            for (String p : position.split(",")) {
                final String[] q = p.trim().split("-");
                if (q.length == 3 && q[0].equals(g[0]) && Long.parseLong(q[2]) >= Long.parseLong(g[2])) {
                    found = true;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /** Waits until both replicas applied everything the master has, then compares the table's checksums. */
    public void assertReplicasMatch(final String table) throws Exception {
        for (EmbeddedMariaDb r : replicas()) {
            Replicas.awaitCaughtUp(r, master, Duration.ofSeconds(60));
            assertThat(r.checksum(table)).as(r.name() + " " + table).isEqualTo(master.checksum(table));
        }
    }

    @Override
    public void close() {
        proxy.close();
        replica1.close();
        replica2.close();
        master.close();
    }
}
