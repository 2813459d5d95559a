package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.SemiSyncStatus;
import org.semisync.ack.WaitPoint;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.demo.Replicas;
import org.semisync.proxy.testing.GateCluster;
import org.semisync.proxy.testing.SemiSyncTopology;
import org.semisync.proxy.testing.Signals;

/**
 * AFTER_SYNC: a held read obeys the rules a held commit obeys — {@code --enforced} keeps it past the timeout until a
 * replica ACKs, {@code wait_for_slave_count = 2} keeps it until the second replica ACKs, the timeout with no replica
 * releases it and switches semi-sync OFF (one {@code no_times}, as for a commit, but no transaction counted), and
 * with semi-sync disabled nothing is held. The row each read could show is written on the master directly, so only
 * the read can wait for it. {@link AfterSyncIT} covers the plain ACK, the timeout's release and OFF/nothing
 * unacknowledged letting reads through.
 */
class HeldReadRulesIT {
    private static final long TIMEOUT_MILLIS = 5000;
    private static final AtomicInteger NEXT_ID = new AtomicInteger();
    private static GateCluster cluster;

    @BeforeAll
    static void start() throws InterruptedException {
        cluster = GateCluster.start(
                MariaDbVersion.V11_4_5,
                "heldreads",
                SemiSyncSettings.DEFAULTS.withTimeoutMillis(TIMEOUT_MILLIS).withWaitPoint(WaitPoint.AFTER_SYNC));
        cluster.master().execute("CREATE TABLE app.r (id INT PRIMARY KEY)");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Both replicas connected and replicating, semi-sync ON. */
    @BeforeEach
    void awaitOn() throws Exception {
        for (EmbeddedMariaDb r : cluster.replicas()) {
            Signals.cont(r);
            cluster.startReplication(r);
        }
        SemiSyncTopology.awaitStatus(cluster.proxy(), s -> s.clients() == 2);
        if (!cluster.proxy().tracker().status().on()) {
            for (EmbeddedMariaDb r : cluster.replicas()) {
                Replicas.awaitCaughtUp(r, cluster.master(), Duration.ofSeconds(30));
            }
            // the status returns ON once the quorum ACKs the newest commit: commit one through the proxy
            try (Connection c = cluster.mariadb("")) {
                c.createStatement().executeUpdate("INSERT INTO r VALUES (" + (1_000_000 + NEXT_ID.get()) + ")");
            }
            SemiSyncTopology.awaitStatus(cluster.proxy(), SemiSyncStatus::on);
        }
    }

    @Test
    void enforcedHoldsAReadPastTheTimeoutUntilAReplicaAcks() throws Exception {
        try (Connection c = cluster.mariadb("")) {
            set(c, "rpl_semi_sync_master_enforced = ON");
            try {
                cluster.stopReplication();
                final int id = writeOnMaster();
                final String written = cluster.masterGtid();
                final CompletableFuture<Integer> read = readAsync(c, id);
                Thread.sleep(TIMEOUT_MILLIS + TIMEOUT_MILLIS / 2);
                assertThat(read).as("held past the timeout").isNotDone();
                final SemiSyncStatus held = cluster.proxy().tracker().status();
                assertThat(held.on()).as("enforced never switches OFF").isTrue();
                assertThat(held.readsWaiting()).isEqualTo(1);
                final EmbeddedMariaDb replica = cluster.replicas().get(0);
                cluster.startReplication(replica);
                assertThat(read.get(60, TimeUnit.SECONDS)).isEqualTo(1);
                assertThat(GateCluster.received(replica, written)).isTrue();
                assertThat(cluster.proxy().tracker().status().noTimes()).isEqualTo(held.noTimes());
            } finally {
                set(c, "rpl_semi_sync_master_enforced = OFF");
            }
        }
    }

    @Test
    void withWaitForSlaveCountTwoAReadWaitsForTheSecondReplica() throws Exception {
        final EmbeddedMariaDb first = cluster.replicas().get(0);
        final EmbeddedMariaDb second = cluster.replicas().get(1);
        try (Connection c = cluster.mysql("")) { // a position-probe session this time
            set(c, "rpl_semi_sync_master_wait_for_slave_count = 2");
            try {
                Signals.stop(second); // connected, but its ACK does not come
                final int id = writeOnMaster();
                final String written = cluster.masterGtid();
                final CompletableFuture<Integer> read = readAsync(c, id);
                GateCluster.awaitReceived(first, written);
                Thread.sleep(300); // the first replica's ACK has had time to arrive
                assertThat(read).as("one ACK of two").isNotDone();
                final long resumed = System.nanoTime();
                Signals.cont(second);
                assertThat(read.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo(1);
                assertThat(System.nanoTime() - resumed)
                        .as("released by the second ACK, not by the timeout")
                        .isLessThan(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS / 2));
                assertThat(GateCluster.received(second, written)).isTrue();
                assertThat(cluster.proxy().tracker().status().on()).isTrue();
            } finally {
                Signals.cont(second);
                set(c, "rpl_semi_sync_master_wait_for_slave_count = 1");
            }
        }
    }

    @Test
    void withNoReplicaAReadIsReleasedAtTheTimeoutAndSwitchesOff() throws Exception {
        try (Connection c = cluster.mariadb("")) {
            cluster.stopReplication();
            final SemiSyncStatus before = cluster.proxy().tracker().status();
            final int id = writeOnMaster();
            final long t0 = System.nanoTime();
            assertThat(readAsync(c, id).get(60, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
                    .isBetween(TIMEOUT_MILLIS - 100, 2 * TIMEOUT_MILLIS);
            final SemiSyncStatus after = cluster.proxy().tracker().status();
            assertThat(after.on()).isFalse();
            assertThat(after.noTimes()).as("switched OFF once, as for a commit").isEqualTo(before.noTimes() + 1);
            assertThat(after.readWaits()).isEqualTo(before.readWaits() + 1);
            assertThat(after.noTx()).as("a read is no transaction").isEqualTo(before.noTx());
            assertThat(after.yesTx()).isEqualTo(before.yesTx());
            assertThat(after.readsWaiting()).isZero();
            assertThat(after.waitSessions()).isZero();
        }
    }

    @Test
    void disabledSemiSyncHoldsNoRead() throws Exception {
        try (Connection c = cluster.mysql("")) {
            set(c, "rpl_semi_sync_master_enabled = OFF");
            try {
                cluster.stopReplication();
                final long readWaits = cluster.proxy().tracker().status().readWaits();
                final int id = writeOnMaster();
                final long t0 = System.nanoTime();
                assertThat(readAsync(c, id).get(60, TimeUnit.SECONDS)).isEqualTo(1);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
                        .isLessThan(TIMEOUT_MILLIS / 3);
                assertThat(cluster.proxy().tracker().status().readWaits()).isEqualTo(readWaits);
            } finally {
                set(c, "rpl_semi_sync_master_enabled = ON");
            }
        }
    }

    /** Inserts a new row on the master directly (bypassing the proxy); returns its id. */
    private static int writeOnMaster() {
        final int id = NEXT_ID.incrementAndGet();
        cluster.master().execute("INSERT INTO app.r VALUES (" + id + ")");
        return id;
    }

    private static CompletableFuture<Integer> readAsync(final Connection c, final int id) {
        return CompletableFuture.supplyAsync(() -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM r WHERE id = " + id)) {
                rs.next();
                return rs.getInt(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    private static void set(final Connection c, final String assignment) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET GLOBAL " + assignment);
        }
    }
}
