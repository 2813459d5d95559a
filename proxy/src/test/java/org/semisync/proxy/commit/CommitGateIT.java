package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.SemiSyncStatus;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.demo.Replicas;
import org.semisync.proxy.testing.GateCluster;
import org.semisync.proxy.testing.ProxyUnderTest;
import org.semisync.proxy.testing.SemiSyncTopology;

/** Commits through the proxy wait for a replica's ACK, fall back after the timeout, and come back. */
class CommitGateIT {
    // 11.4.5 reports last_gtid in OK packets (GTID tracking); 10.2.11 accepts last_gtid in
    // session_track_system_variables but sends it in no OK packet and 10.1.23 has no tracking: position probes
    @ParameterizedTest
    @EnumSource(MariaDbVersion.class)
    void commitOkWaitsForAReplicaAckThenFallsBackAfterTheTimeout(final MariaDbVersion version) throws Exception {
        try (EmbeddedMariaDb master = EmbeddedMariaDb.builder(version)
                        .name("gate-master")
                        .serverId(1)
                        .build()
                        .start();
                EmbeddedMariaDb r1 = SemiSyncTopology.semiSyncReplica("gate-replica1", 2);
                EmbeddedMariaDb r2 = SemiSyncTopology.semiSyncReplica("gate-replica2", 3);
                ProxyUnderTest proxy =
                        ProxyUnderTest.withTracker(master.port(), SemiSyncSettings.DEFAULTS.withTimeoutMillis(2000))) {
            final String start = master.queryString("SELECT @@gtid_binlog_pos");
            for (EmbeddedMariaDb r : List.of(r1, r2)) {
                Replicas.pointAt(r, "127.0.0.1", proxy.port(), Replicas.Mode.GTID, start);
            }
            SemiSyncTopology.awaitStatus(proxy, s -> s.clients() == 2);
            try (Connection c = DriverManager.getConnection(proxy.mariadbUrl("app", ""), "app", "app_pass");
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE g (id INT PRIMARY KEY, v VARCHAR(20))");
                final long yesBefore = proxy.tracker().status().yesTx();
                final long requestsBefore = proxy.tracker().status().requestAck();
                for (int i = 1; i <= 20; i++) {
                    s.executeUpdate("INSERT INTO g VALUES (" + i + ", 'row')");
                    // at the moment the client has the OK, a replica has received the transaction
                    final String gtid = lastGtid(s);
                    assertThat(List.of(r1, r2))
                            .as(
                                    "a replica's IO position covers %s (replica1: %s / %s)",
                                    gtid,
                                    Replicas.status(r1).get("Gtid_IO_Pos"),
                                    Replicas.status(r1).get("Last_IO_Error"))
                            .anyMatch(r -> GateCluster.covers(Replicas.status(r).get("Gtid_IO_Pos"), gtid));
                }
                c.setAutoCommit(false);
                s.executeUpdate("INSERT INTO g VALUES (100, 'trx')");
                s.executeUpdate("INSERT INTO g VALUES (101, 'trx')");
                c.commit();
                c.setAutoCommit(true);
                final String gtid = lastGtid(s);
                assertThat(List.of(r1, r2))
                        .anyMatch(r -> GateCluster.covers(Replicas.status(r).get("Gtid_IO_Pos"), gtid));
                SemiSyncTopology.awaitStatus(proxy, st -> st.yesTx() >= yesBefore + 21);
                // the commits were really held (waited for an ACK), not merely fast
                assertThat(proxy.tracker().status().requestAck()).isGreaterThanOrEqualTo(requestsBefore + 1);

                for (EmbeddedMariaDb r : List.of(r1, r2)) {
                    r.execute("STOP SLAVE IO_THREAD");
                }
                SemiSyncTopology.awaitStatus(proxy, st -> st.clients() == 0);
                long t0 = System.nanoTime();
                s.executeUpdate("INSERT INTO g VALUES (200, 'no replica')");
                final long waitedMillis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(waitedMillis).isBetween(2000L, 2500L);
                SemiSyncStatus st = proxy.tracker().status();
                assertThat(st.on()).isFalse();
                assertThat(st.noTimes()).isEqualTo(1);
                assertThat(st.noTx()).isGreaterThanOrEqualTo(1);
                t0 = System.nanoTime();
                s.executeUpdate("INSERT INTO g VALUES (201, 'async')");
                assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);

                for (EmbeddedMariaDb r : List.of(r1, r2)) {
                    r.execute("START SLAVE IO_THREAD");
                }
                SemiSyncTopology.awaitStatus(proxy, x -> x.clients() == 2 && x.on());
                final long yes = proxy.tracker().status().yesTx();
                s.executeUpdate("INSERT INTO g VALUES (300, 'back on')");
                SemiSyncTopology.awaitStatus(proxy, x -> x.yesTx() == yes + 1);
            }
            for (EmbeddedMariaDb r : List.of(r1, r2)) {
                Replicas.awaitCaughtUp(r, master, Duration.ofSeconds(60));
                assertThat(r.checksum("app.g")).isEqualTo(master.checksum("app.g"));
            }
        }
    }

    private static String lastGtid(final Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT @@last_gtid")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
