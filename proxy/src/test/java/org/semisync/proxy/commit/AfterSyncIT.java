package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.WaitPoint;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.demo.Replicas;
import org.semisync.proxy.testing.GateCluster;
import org.semisync.proxy.testing.SemiSyncTopology;

/**
 * Wait point AFTER_SYNC: a read through the proxy that could show a transaction the replicas do not have yet — here
 * one written directly on the master, bypassing the proxy — waits until a replica acknowledges it or the timeout
 * passes; AFTER_COMMIT lets it through at once; reads are not held while nothing is unacknowledged or semi-sync is
 * OFF. Both ways of finding positions: GTID-tracked sessions (MariaDB Connector/J) and probe sessions (MySQL
 * Connector/J).
 */
class AfterSyncIT {
    private static final long TIMEOUT_MILLIS = 3000;
    private static GateCluster cluster;
    /** Commits made through the proxy by {@link #awaitOn()}: the only transactions the tracker should count. */
    private static int commitsToSwitchOn;

    @BeforeAll
    static void start() throws InterruptedException {
        cluster = GateCluster.start(
                MariaDbVersion.V11_4_5,
                "aftersync",
                SemiSyncSettings.DEFAULTS.withTimeoutMillis(TIMEOUT_MILLIS).withWaitPoint(WaitPoint.AFTER_SYNC));
        cluster.master().execute("CREATE TABLE app.v (id INT PRIMARY KEY)");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aReadWaitsForTheAckOfWhatItCouldShowThenTheTimeout() throws Exception {
        for (final boolean tracked : new boolean[] {true, false}) {
            final int base = tracked ? 100 : 200;
            try (Connection c = tracked ? cluster.mariadb("") : cluster.mysql("")) {
                awaitOn();
                heldReadThenTimeout(c, base);
            } finally {
                for (EmbeddedMariaDb r : cluster.replicas()) {
                    cluster.startReplication(r);
                }
            }
        }
        assertThat(cluster.proxy().tracker().status().yesTx())
                .as("held reads are not counted as transactions (only the commits that switched semi-sync ON are)")
                .isEqualTo(commitsToSwitchOn);
    }

    private static void heldReadThenTimeout(final Connection c, final int base) throws Exception {
        // nothing unacknowledged: not held
        assertThat(millis(() -> count(c, "SELECT COUNT(*) FROM v"))).isLessThan(TIMEOUT_MILLIS / 3);
        final long readWaitsBefore = cluster.proxy().tracker().status().readWaits();

        cluster.stopReplication();
        cluster.master().execute("INSERT INTO app.v VALUES (" + base + ")"); // bypasses the proxy
        final String written = cluster.masterGtid();
        final CompletableFuture<Integer> read =
                CompletableFuture.supplyAsync(() -> count(c, "SELECT COUNT(*) FROM v WHERE id = " + base));
        Thread.sleep(TIMEOUT_MILLIS / 3);
        assertThat(read)
                .as("a read that could show an unacknowledged row is held")
                .isNotDone();
        final EmbeddedMariaDb replica = cluster.replicas().get(0);
        cluster.startReplication(replica);
        assertThat(read.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo(1);
        assertThat(GateCluster.received(replica, written))
                .as("the replica had the row when the reader saw it")
                .isTrue();
        final var status = cluster.proxy().tracker().status();
        assertThat(status.on()).isTrue();
        assertThat(status.readWaits()).isGreaterThan(readWaitsBefore);

        // no replica at all: held for the timeout, then OFF, then reads pass at once
        cluster.stopReplication();
        cluster.master().execute("INSERT INTO app.v VALUES (" + (base + 1) + ")");
        assertThat(millis(() -> count(c, "SELECT COUNT(*) FROM v")))
                .isBetween(TIMEOUT_MILLIS - 100, 2 * TIMEOUT_MILLIS);
        assertThat(cluster.proxy().tracker().status().on()).isFalse();
        assertThat(millis(() -> count(c, "SELECT COUNT(*) FROM v"))).isLessThan(TIMEOUT_MILLIS / 3);
    }

    @Test
    void afterCommitLetsTheSameReadThroughAtOnce() throws Exception {
        try (Connection c = cluster.mariadb("");
                Statement s = c.createStatement()) {
            awaitOn();
            s.execute("SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_COMMIT");
            try {
                cluster.stopReplication();
                cluster.master().execute("INSERT INTO app.v VALUES (300)");
                assertThat(millis(() -> count(c, "SELECT COUNT(*) FROM v WHERE id = 300")))
                        .isLessThan(TIMEOUT_MILLIS / 3);
                try (ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync_master_wait_point'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(2)).isEqualTo("AFTER_COMMIT");
                }
            } finally {
                s.execute("SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC");
                for (EmbeddedMariaDb r : cluster.replicas()) {
                    cluster.startReplication(r);
                }
            }
        }
    }

    /**
     * Replicas that come back to the proxy already holding everything (here: they caught up directly from the master
     * meanwhile) acknowledge nothing; the master's dump skips what they have and sends a heartbeat at its end, which
     * counts as their position, so reads are not held (they were, for the whole timeout, before).
     */
    @Test
    void replicasThatConnectUpToDateHoldNoRead() throws Exception {
        try (Connection c = cluster.mariadb("")) {
            awaitOn();
            final String start = cluster.masterGtid();
            for (EmbeddedMariaDb r : cluster.replicas()) {
                Replicas.pointAt(r, "127.0.0.1", cluster.master().port(), Replicas.Mode.GTID, null);
            }
            cluster.master().execute("INSERT INTO app.v VALUES (400)");
            for (EmbeddedMariaDb r : cluster.replicas()) {
                Replicas.awaitCaughtUp(r, cluster.master(), Duration.ofSeconds(30));
                Replicas.pointAt(r, "127.0.0.1", cluster.proxy().port(), Replicas.Mode.GTID, null);
            }
            SemiSyncTopology.awaitStatus(cluster.proxy(), s -> s.clients() == 2);
            assertThat(start).isNotEqualTo(cluster.masterGtid());
            final long noTimes = cluster.proxy().tracker().status().noTimes();
            assertThat(millis(() -> count(c, "SELECT COUNT(*) FROM v WHERE id = 400")))
                    .as("a read of what both replicas have")
                    .isLessThan(TIMEOUT_MILLIS / 3);
            assertThat(cluster.proxy().tracker().status().noTimes()).isEqualTo(noTimes);
        }
    }

    /**
     * Semi-sync ON with both replicas: it comes back by itself once they have acknowledged the newest commit, which may
     * be a moment after they connected; failing that, a commit brings it back (counted in {@link #commitsToSwitchOn}).
     */
    private static void awaitOn() throws Exception {
        SemiSyncTopology.awaitStatus(cluster.proxy(), s -> s.clients() == 2);
        if (!SemiSyncTopology.statusWithin(cluster.proxy(), s -> s.on(), Duration.ofSeconds(2))
                .on()) {
            commitsToSwitchOn++;
            try (Connection c = cluster.mariadb("")) {
                c.createStatement().execute("DO 1");
            }
            for (EmbeddedMariaDb r : cluster.replicas()) {
                Replicas.awaitCaughtUp(r, cluster.master(), Duration.ofSeconds(30));
            }
            try (Connection c = cluster.mariadb("")) {
                c.createStatement()
                        .executeUpdate("INSERT INTO v VALUES (" + (1000 + (int) (Math.random() * 1e6)) + ")");
            }
            SemiSyncTopology.awaitStatus(cluster.proxy(), s -> s.on());
        }
    }

    private static int count(final Connection c, final String sql) {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static long millis(final Runnable action) {
        final long t0 = System.nanoTime();
        action.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
