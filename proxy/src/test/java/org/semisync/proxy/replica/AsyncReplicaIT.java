package org.semisync.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Wait point AFTER_SYNC and an asynchronous replica (semi-sync off on the replica) through the proxy: it is never
 * sent a transaction before the semi-sync quorum acknowledged it, whether its dump comes from the master (catching
 * up) or from the ring (up to date); in AFTER_COMMIT it is (the control). Under a write load, it is sampled to be
 * never ahead of both semi-sync replicas.
 */
class AsyncReplicaIT {
    private static final long TIMEOUT_MILLIS = 60_000;
    private static GateCluster cluster;
    private static EmbeddedMariaDb async;

    @BeforeAll
    static void start() throws InterruptedException, SQLException {
        cluster = GateCluster.start(
                MariaDbVersion.V11_4_5,
                "asyncreplica",
                SemiSyncSettings.DEFAULTS.withTimeoutMillis(TIMEOUT_MILLIS).withWaitPoint(WaitPoint.AFTER_SYNC));
        final String start = cluster.masterGtid();
        cluster.master().execute("CREATE TABLE app.a (id INT PRIMARY KEY, pad VARCHAR(200))");
        // history the asynchronous replica catches up on through a master dump of its own, gated all the way
        try (Connection c = cluster.mariadb("");
                Statement s = c.createStatement()) {
            for (int i = 1; i <= 500; i++) {
                s.executeUpdate("INSERT INTO a VALUES (" + i + ", REPEAT('x', 200))");
            }
        }
        async = EmbeddedMariaDb.builder(MariaDbVersion.V11_4_5)
                .name("asyncreplica-async")
                .serverId(4)
                .build()
                .start();
        Replicas.pointAt(async, "127.0.0.1", cluster.proxy().port(), Replicas.Mode.GTID, start);
        Replicas.awaitCaughtUp(async, cluster.master(), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (async != null) {
            async.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anAsyncReplicaGetsATransactionOnlyOnceASemiSyncReplicaAcknowledgedIt() throws Exception {
        assertThat(async.checksum("app.a")).isEqualTo(cluster.master().checksum("app.a"));
        cluster.stopReplication();
        try {
            cluster.master().execute("INSERT INTO app.a VALUES (1001, 'bypassing the proxy')");
            final String written = cluster.masterGtid();
            Thread.sleep(1500);
            assertThat(GateCluster.received(async, written))
                    .as("the asynchronous replica has a transaction no semi-sync replica acknowledged")
                    .isFalse();
            cluster.startReplication(cluster.replicas().get(0));
            GateCluster.awaitReceived(async, written);
        } finally {
            restartReplication();
        }
    }

    @Test
    void inAfterCommitTheAsyncReplicaIsNotHeld() throws Exception {
        try (Connection c = cluster.mariadb("");
                Statement s = c.createStatement()) {
            s.execute("SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_COMMIT");
            try {
                cluster.stopReplication();
                cluster.master().execute("INSERT INTO app.a VALUES (2001, 'after commit')");
                GateCluster.awaitReceived(async, cluster.masterGtid());
                assertThat(cluster.replicas().stream().noneMatch(r -> GateCluster.received(r, cluster.masterGtid())))
                        .as("the control: ahead of both semi-sync replicas")
                        .isTrue();
            } finally {
                s.execute("SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC");
                restartReplication();
            }
        }
    }

    @Test
    void underLoadTheAsyncReplicaIsNeverAheadOfTheSemiSyncOnes() throws Exception {
        SemiSyncTopology.awaitStatus(cluster.proxy(), s -> s.clients() == 2 && s.on());
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger next = new AtomicInteger(10_000);
        final ExecutorService writers = Executors.newFixedThreadPool(4);
        final List<Future<Integer>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            done.add(writers.submit(() -> write(running, next)));
        }
        int samples = 0;
        final List<String> ahead = new ArrayList<>();
        try {
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (System.nanoTime() < end) {
                // the asynchronous replica first: the semi-sync replicas only move forward afterwards
                final String asyncPos = Replicas.status(async).get("Gtid_IO_Pos");
                final boolean covered = cluster.replicas().stream()
                        .anyMatch(r -> GateCluster.covers(Replicas.status(r).get("Gtid_IO_Pos"), asyncPos));
                if (!covered) {
                    ahead.add(asyncPos);
                }
                samples++;
                Thread.sleep(20);
            }
        } finally {
            running.set(false);
            writers.shutdown();
        }
        int commits = 0;
        for (Future<Integer> f : done) {
            commits += f.get(60, TimeUnit.SECONDS);
        }
        Replicas.awaitCaughtUp(async, cluster.master(), Duration.ofSeconds(60));
        assertThat(commits).as("commits under load").isGreaterThan(100);
        assertThat(samples).isGreaterThan(50);
        assertThat(ahead)
                .as("samples where the async replica was ahead of both semi-sync ones")
                .isEmpty();
        assertThat(async.checksum("app.a")).isEqualTo(cluster.master().checksum("app.a"));
    }

    private static int write(final AtomicBoolean running, final AtomicInteger next) throws SQLException {
        int commits = 0;
        try (Connection c = cluster.mariadb("");
                Statement s = c.createStatement()) {
            while (running.get()) {
                s.executeUpdate("INSERT INTO a VALUES (" + next.incrementAndGet() + ", 'load')");
                commits++;
            }
        }
        return commits;
    }

    private static void restartReplication() throws Exception {
        for (EmbeddedMariaDb r : cluster.replicas()) {
            cluster.startReplication(r);
        }
        SemiSyncTopology.awaitStatus(cluster.proxy(), s -> s.clients() == 2);
        for (EmbeddedMariaDb r : cluster.replicas()) {
            Replicas.awaitCaughtUp(r, cluster.master(), Duration.ofSeconds(60));
        }
        Replicas.awaitCaughtUp(async, cluster.master(), Duration.ofSeconds(60));
    }
}
