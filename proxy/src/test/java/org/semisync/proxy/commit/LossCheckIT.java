package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.demo.Replicas;
import org.semisync.proxy.testing.ProxyUnderTest;
import org.semisync.proxy.testing.RelayLogs;
import org.semisync.proxy.testing.SemiSyncTopology;

/**
 * The guarantee, tested the hard way: clients insert numbered rows through the proxy and remember each id whose
 * commit returned OK; the master is SIGKILLed mid-run; every remembered id must be on at least one replica (applied
 * from its relay log). Ten trials per master version, each on a fresh master; the timeout is far longer than a trial,
 * so no OK is released without an ACK.
 */
class LossCheckIT {
    private static final int TRIALS = 10;
    private static final int CLIENTS = 4;

    @ParameterizedTest
    @EnumSource(
            value = MariaDbVersion.class,
            names = {"V10_2_11", "V11_4_5"})
    void noAcknowledgedCommitIsLostWhenTheMasterDies(final MariaDbVersion version) throws Exception {
        long acknowledged = 0;
        long lost = 0;
        final List<String> trialLines = new ArrayList<>();
        try (EmbeddedMariaDb r1 = SemiSyncTopology.semiSyncReplica("loss-replica1", 2);
                EmbeddedMariaDb r2 = SemiSyncTopology.semiSyncReplica("loss-replica2", 3)) {
            for (EmbeddedMariaDb r : List.of(r1, r2)) {
                // an IO thread waiting on a connection to a dead master gives up soon, so STOP SLAVE is quick
                r.execute("SET GLOBAL slave_net_timeout = 5");
            }
            for (int trial = 1; trial <= TRIALS; trial++) {
                final Set<Integer> acked = runTrial(version, trial, List.of(r1, r2));
                final Set<Integer> onReplicas = new HashSet<>();
                for (EmbeddedMariaDb r : List.of(r1, r2)) {
                    RelayLogs.awaitApplied(r);
                    onReplicas.addAll(RelayLogs.ids(r, "app.loss" + trial));
                }
                final Set<Integer> missing = new HashSet<>(acked);
                missing.removeAll(onReplicas);
                acknowledged += acked.size();
                lost += missing.size();
                trialLines.add(String.format(
                        "trial %d: %d acknowledged, %d on a replica, %d lost %s",
                        trial, acked.size(), onReplicas.size(), missing.size(), missing.isEmpty() ? "" : missing));
            }
        }
        final String report = String.format(
                "loss check %s: %d trials, %d acknowledged commits, %d lost%n%s%n",
                version, TRIALS, acknowledged, lost, String.join(System.lineSeparator(), trialLines));
        System.out.print(report);
        Files.writeString(Path.of("target", "loss-check-" + version.version() + ".txt"), report);
        assertThat(acknowledged).as("commits acknowledged before the kills").isGreaterThan(TRIALS * 10L);
        assertThat(lost).as(report).isZero();
    }

    /** One trial: fresh master, proxy, replicas re-pointed; clients insert until the master is killed. */
    private static Set<Integer> runTrial(final MariaDbVersion version, final int trial, final List<EmbeddedMariaDb> rs)
            throws Exception {
        final Set<Integer> acked = ConcurrentHashMap.newKeySet();
        final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (EmbeddedMariaDb master = EmbeddedMariaDb.builder(version)
                        .name("loss-master")
                        .serverId(100 + trial)
                        .build()
                        .start();
                ProxyUnderTest proxy = ProxyUnderTest.withTracker(
                        master.port(), SemiSyncSettings.DEFAULTS.withTimeoutMillis(600_000))) {
            final String start = master.queryString("SELECT @@gtid_binlog_pos");
            for (EmbeddedMariaDb r : rs) {
                r.execute("STOP SLAVE", "RESET SLAVE ALL");
                Replicas.pointAt(r, "127.0.0.1", proxy.port(), Replicas.Mode.GTID, start);
            }
            SemiSyncTopology.awaitStatus(proxy, s -> s.clients() == 2);
            final String table = "app.loss" + trial;
            master.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, client INT)");
            for (EmbeddedMariaDb r : rs) {
                Replicas.awaitCaughtUp(r, master, Duration.ofSeconds(30));
            }
            final AtomicBoolean running = new AtomicBoolean(true);
            final List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                final int client = c;
                futures.add(clients.submit(() -> insertUntilFailure(proxy, table, client, acked, running)));
            }
            // let the clients commit for a while, then kill the master under them
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            while (System.nanoTime() < deadline && acked.size() < 50_000) {
                Thread.sleep(50);
            }
            master.kill();
            running.set(false);
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        return acked;
    }

    private static Void insertUntilFailure(
            final ProxyUnderTest proxy,
            final String table,
            final int client,
            final Set<Integer> acked,
            final AtomicBoolean running) {
        try (Connection c =
                        DriverManager.getConnection(proxy.mariadbUrl("", "socketTimeout=60000"), "app", "app_pass");
                Statement s = c.createStatement()) {
            for (int n = 0; running.get(); n++) {
                final int id = client * 1_000_000 + n;
                s.executeUpdate("INSERT INTO " + table + " VALUES (" + id + ", " + client + ")");
                acked.add(id); // the commit returned OK
            }
        } catch (SQLException e) {
            // the master died under this client: its last commit has no OK, so it is not counted
        }
        return null;
    }
}
