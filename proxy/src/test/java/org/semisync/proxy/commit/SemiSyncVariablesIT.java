package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.SemiSyncStatus;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.testing.GateCluster;
import org.semisync.proxy.testing.SemiSyncTopology;

/**
 * The plugin's variables, set with SET GLOBAL on the proxy port and read back with SHOW VARIABLES / SHOW STATUS,
 * change how commits wait: wait_for_slave_count, enforced, wait_no_slave, the timeout. Runs on a master with GTID
 * tracking (11.4.5) and one with position probes (10.2.11).
 */
class SemiSyncVariablesIT {
    private static final long TIMEOUT = 2000;

    @ParameterizedTest
    @EnumSource(
            value = MariaDbVersion.class,
            names = {"V10_2_11", "V11_4_5"})
    void variablesSetOnTheProxyPortChangeHowCommitsWait(final MariaDbVersion version) throws Exception {
        try (GateCluster cluster =
                        GateCluster.start(version, "vars", SemiSyncSettings.DEFAULTS.withTimeoutMillis(TIMEOUT));
                Connection c = cluster.mariadb("");
                Statement s = c.createStatement()) {
            final EmbeddedMariaDb r1 = cluster.replicas().get(0);
            final EmbeddedMariaDb r2 = cluster.replicas().get(1);
            s.execute("CREATE TABLE v (id INT PRIMARY KEY)");
            assertThat(show(s, "SHOW VARIABLES LIKE 'rpl_semi_sync%'"))
                    .containsEntry("rpl_semi_sync_master_enabled", "ON")
                    .containsEntry("rpl_semi_sync_master_timeout", "2000")
                    .containsEntry("rpl_semi_sync_master_wait_for_slave_count", "1")
                    .containsEntry("rpl_semi_sync_master_wait_no_slave", "ON")
                    .containsEntry("rpl_semi_sync_master_wait_point", "AFTER_COMMIT");
            assertThat(show(s, "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_%'"))
                    .containsEntry("Rpl_semi_sync_master_status", "ON")
                    .containsEntry("Rpl_semi_sync_master_clients", "2");

            // wait_for_slave_count = 2 with one replica stopped: held until the timeout; with both: not held
            s.execute("SET GLOBAL rpl_semi_sync_master_wait_for_slave_count = 2");
            SemiSyncTopology.awaitStatus(cluster.proxy(), st -> st.settings().waitForSlaveCount() == 2);
            r2.execute("STOP SLAVE IO_THREAD");
            SemiSyncTopology.awaitStatus(cluster.proxy(), st -> st.clients() == 1);
            assertThat(timedInsert(s, 1)).isBetween(TIMEOUT, TIMEOUT + 500);
            assertThat(show(s, "SHOW STATUS LIKE 'Rpl_semi_sync_master_status'"))
                    .containsEntry("Rpl_semi_sync_master_status", "OFF");
            r2.execute("START SLAVE IO_THREAD");
            SemiSyncTopology.awaitStatus(cluster.proxy(), st -> st.clients() == 2 && st.on());
            final long yes = cluster.proxy().tracker().status().yesTx();
            assertThat(timedInsert(s, 2)).isLessThan(TIMEOUT / 2);
            SemiSyncTopology.awaitStatus(cluster.proxy(), st -> st.yesTx() == yes + 1);

            // enforced: with no replica a commit stays held past the timeout until a replica comes back
            s.execute("SET GLOBAL rpl_semi_sync_master_wait_for_slave_count = 1");
            s.execute("SET GLOBAL rpl_semi_sync_master_enforced = ON");
            cluster.stopReplication();
            try (Connection other = cluster.mariadb("");
                    Statement os = other.createStatement()) {
                final CompletableFuture<Long> held = CompletableFuture.supplyAsync(() -> timedInsert(os, 3));
                assertThatThrownBy(() -> held.get(TIMEOUT + 1000, TimeUnit.MILLISECONDS))
                        .isInstanceOf(TimeoutException.class);
                cluster.startReplication(r1);
                assertThat(held.get(30, TimeUnit.SECONDS)).isGreaterThan(TIMEOUT + 1000);
            }
            assertThat(cluster.proxy().tracker().status().on()).isTrue();
            s.execute("SET GLOBAL rpl_semi_sync_master_enforced = OFF");

            // wait_no_slave = OFF with no replica: commits not held, counted in no_tx; like the plugin's commit_trx,
            // the status stays ON
            s.execute("SET GLOBAL rpl_semi_sync_master_wait_no_slave = OFF");
            cluster.stopReplication();
            final SemiSyncStatus before = cluster.proxy().tracker().status();
            assertThat(timedInsert(s, 4)).isLessThan(TIMEOUT / 2);
            assertThat(show(s, "SHOW STATUS LIKE 'rpl_semi_sync_master_status'"))
                    .containsEntry("Rpl_semi_sync_master_status", "ON");
            final SemiSyncStatus after = cluster.proxy().tracker().status();
            assertThat(after.yesTx()).isEqualTo(before.yesTx());
            assertThat(after.noTx()).isEqualTo(before.noTx() + 1);
            cluster.replicas().forEach(cluster::startReplication);
            SemiSyncTopology.awaitStatus(cluster.proxy(), st -> st.clients() == 2);

            // what the plugin refuses, the proxy refuses with the server's error codes
            assertThatThrownBy(() -> s.execute("SET GLOBAL rpl_semi_sync_master_timeout = 'soon'"))
                    .isInstanceOfSatisfying(
                            SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(1232)); // ER_WRONG_TYPE_FOR_VAR
            assertThatThrownBy(() -> s.execute("SET GLOBAL rpl_semi_sync_master_no_such = 1"))
                    .isInstanceOfSatisfying(
                            SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(1193));
            cluster.master()
                    .execute(
                            "CREATE USER 'plain'@'%' IDENTIFIED BY 'plain_pass'",
                            "GRANT SELECT, INSERT ON app.* TO 'plain'@'%'");
            try (Connection plain =
                            DriverManager.getConnection(cluster.proxy().mariadbUrl("app", ""), "plain", "plain_pass");
                    Statement ps = plain.createStatement()) {
                assertThatThrownBy(() -> ps.execute("SET GLOBAL rpl_semi_sync_master_timeout = 5"))
                        .isInstanceOfSatisfying(
                                SQLException.class,
                                e -> assertThat(e.getErrorCode()).isEqualTo(1227));
                assertThat(show(ps, "SHOW VARIABLES LIKE 'rpl_semi_sync_master_timeout'"))
                        .containsEntry("rpl_semi_sync_master_timeout", "2000");
                // the session goes on normally after the privilege check
                ps.execute("INSERT INTO v VALUES (5)");
            }
            s.execute("SET GLOBAL rpl_semi_sync_master_timeout = 3000");
            try (ResultSet rs = s.executeQuery("SELECT @@global.rpl_semi_sync_master_timeout")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(3000);
            }
            cluster.assertReplicasMatch("app.v");
        }
    }

    private static long timedInsert(final Statement s, final int id) {
        final long t0 = System.nanoTime();
        try {
            s.execute("INSERT INTO v VALUES (" + id + ")");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static Map<String, String> show(final Statement s, final String sql) throws SQLException {
        final Map<String, String> rows = new HashMap<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        }
        return rows;
    }
}
