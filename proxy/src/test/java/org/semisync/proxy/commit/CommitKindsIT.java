package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.testing.GateCluster;
import org.semisync.proxy.testing.SemiSyncTopology;

/**
 * Every kind of commit, from every kind of client, is held until a replica has it: with both replicas' IO threads
 * stopped the commit does not return; it returns once one replica reconnects, and that replica then has the master's
 * binlog up to the commit. Reads are not held. 11.4.5 runs GTID tracking for MariaDB Connector/J and position probes
 * for MySQL Connector/J (no session tracking requested); 10.1.23 and 10.2.11 run position probes for every client.
 */
class CommitKindsIT {
    /** Longer than any test: a commit that returns came back because of an ACK, not the timeout. */
    private static final SemiSyncSettings NO_TIMEOUT = SemiSyncSettings.DEFAULTS.withTimeoutMillis(120_000);

    private static final long HELD_MILLIS = 400;

    @FunctionalInterface
    interface Commit {
        void run(int id) throws Exception;
    }

    @ParameterizedTest
    @EnumSource(MariaDbVersion.class)
    void everyKindOfCommitWaitsForAReplica(final MariaDbVersion version, @TempDir final Path dir) throws Exception {
        final ExecutorService clientThread = Executors.newSingleThreadExecutor();
        try (GateCluster cluster = GateCluster.start(version, "kinds", NO_TIMEOUT)) {
            final EmbeddedMariaDb master = cluster.master();
            master.execute(
                    "CREATE TABLE app.k (id INT PRIMARY KEY, kind VARCHAR(40))",
                    "CREATE PROCEDURE app.kp(IN x INT) BEGIN INSERT INTO app.k VALUES (x, 'procedure');"
                            + " UPDATE app.k SET kind = 'procedure, updated' WHERE id = x; END");
            final Path csv = dir.resolve("rows.csv");
            try (Connection mariadb = cluster.mariadb("allowMultiQueries=true&allowLocalInfile=true");
                    Connection mariadbPrepared = cluster.mariadb("useServerPrepStmts=true");
                    Connection mysql = cluster.mysql("allowLoadLocalInfile=true");
                    Connection mysqlPrepared = cluster.mysql("useServerPrepStmts=true");
                    HikariDataSource pool = pool(cluster)) {
                final Map<String, Commit> kinds = new LinkedHashMap<>();
                kinds.put("autocommit INSERT", id -> update(mariadb, "INSERT INTO k VALUES (" + id + ", 'auto')"));
                kinds.put("BEGIN ... COMMIT", id -> {
                    update(mariadb, "BEGIN");
                    update(mariadb, "INSERT INTO k VALUES (" + id + ", 'trx')");
                    update(mariadb, "UPDATE k SET kind = 'trx, updated' WHERE id = " + id);
                    update(mariadb, "COMMIT");
                });
                kinds.put("JDBC transaction", id -> {
                    mariadb.setAutoCommit(false);
                    update(mariadb, "INSERT INTO k VALUES (" + id + ", 'jdbc trx')");
                    mariadb.commit();
                    mariadb.setAutoCommit(true);
                });
                kinds.put("DDL", id -> update(mariadb, "CREATE TABLE k" + id + " (a INT)"));
                kinds.put("implicit commit by DDL", id -> {
                    update(mariadb, "BEGIN");
                    update(mariadb, "INSERT INTO k VALUES (" + id + ", 'implicit')");
                    update(mariadb, "CREATE TABLE k" + id + " (a INT)");
                });
                kinds.put("implicit commit by BEGIN", id -> {
                    update(mariadb, "BEGIN");
                    update(mariadb, "INSERT INTO k VALUES (" + id + ", 'implicit by begin')");
                    update(mariadb, "BEGIN");
                    update(mariadb, "ROLLBACK");
                });
                kinds.put("XA COMMIT", id -> {
                    final String xid = "'xa" + id + "'";
                    update(mariadb, "XA START " + xid);
                    update(mariadb, "INSERT INTO k VALUES (" + id + ", 'xa')");
                    update(mariadb, "XA END " + xid);
                    update(mariadb, "XA PREPARE " + xid);
                    update(mariadb, "XA COMMIT " + xid);
                });
                kinds.put(
                        "multi-statement",
                        id -> update(
                                mariadb,
                                "INSERT INTO k VALUES (" + id + ", 'multi'); UPDATE k SET kind = 'multi, updated'"
                                        + " WHERE id = " + id + "; SELECT COUNT(*) FROM k"));
                kinds.put("stored procedure", id -> update(mariadb, "CALL kp(" + id + ")"));
                kinds.put("COM_STMT_EXECUTE", id -> prepared(mariadbPrepared, id, "prepared"));
                kinds.put("LOAD DATA LOCAL INFILE", id -> {
                    Files.writeString(csv, id + ",load data\n");
                    update(mariadb, "LOAD DATA LOCAL INFILE '" + csv + "' INTO TABLE k FIELDS TERMINATED BY ','");
                });
                kinds.put("JDBC batch", id -> {
                    try (PreparedStatement ps = mariadb.prepareStatement("INSERT INTO k VALUES (?, 'batch')")) {
                        for (int i = 0; i < 3; i++) {
                            ps.setInt(1, id + i * 100_000);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                });
                kinds.put(
                        "MySQL Connector/J autocommit",
                        id -> update(mysql, "INSERT INTO k VALUES (" + id + ", 'mysql')"));
                kinds.put("MySQL Connector/J COM_STMT_EXECUTE", id -> prepared(mysqlPrepared, id, "mysql prepared"));
                kinds.put("MySQL Connector/J transaction", id -> {
                    mysql.setAutoCommit(false);
                    update(mysql, "INSERT INTO k VALUES (" + id + ", 'mysql trx')");
                    mysql.commit();
                    mysql.setAutoCommit(true);
                });
                kinds.put("HikariCP", id -> {
                    try (Connection c = pool.getConnection()) {
                        update(c, "INSERT INTO k VALUES (" + id + ", 'hikari')");
                    }
                });

                final AtomicInteger ids = new AtomicInteger(1);
                for (Map.Entry<String, Commit> kind : kinds.entrySet()) {
                    final int id = ids.getAndIncrement();
                    heldUntilAReplicaHasIt(cluster, clientThread, kind.getKey(), kind.getValue(), id);
                }

                cluster.stopReplication();
                for (Connection reader : List.of(mariadb, mariadbPrepared, mysql, mysqlPrepared)) {
                    final long t0 = System.nanoTime();
                    try (Statement s = reader.createStatement();
                            ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM k")) {
                        assertThat(rs.next()).isTrue();
                    }
                    assertThat(millisSince(t0)).as("a read with no replica").isLessThan(HELD_MILLIS);
                }
                cluster.replicas().forEach(cluster::startReplication);
                SemiSyncTopology.awaitStatus(cluster.proxy(), s -> s.clients() == 2);
            }
            cluster.assertReplicasMatch("app.k");
        } finally {
            clientThread.shutdownNow();
        }
    }

    private static void heldUntilAReplicaHasIt(
            final GateCluster cluster,
            final ExecutorService clientThread,
            final String kind,
            final Commit commit,
            final int id)
            throws Exception {
        cluster.stopReplication();
        final Future<?> done = clientThread.submit(() -> {
            commit.run(id);
            return null;
        });
        assertThatThrownBy(() -> done.get(HELD_MILLIS, TimeUnit.MILLISECONDS))
                .as("%s returned while no replica was connected", kind)
                .isInstanceOf(TimeoutException.class);
        // AFTER_COMMIT: the transaction is in the master's binlog while its OK waits
        final String committed = cluster.masterGtid();
        final EmbeddedMariaDb replica = cluster.replicas().get(0);
        cluster.startReplication(replica);
        try {
            done.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(kind + " still held 60 s after a replica came back", e);
        }
        assertThat(GateCluster.received(replica, committed))
                .as("%s: the replica has %s when the client has the OK", kind, committed)
                .isTrue();
        cluster.startReplication(cluster.replicas().get(1));
        SemiSyncTopology.awaitStatus(cluster.proxy(), s -> s.clients() == 2);
    }

    private static void update(final Connection c, final String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
            while (s.getMoreResults() || s.getUpdateCount() != -1) {
                // drain every result of a multi-statement
            }
        }
    }

    private static void prepared(final Connection c, final int id, final String kind) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO k VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, kind);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static HikariDataSource pool(final GateCluster cluster) {
        final HikariConfig config = new HikariConfig();
        config.setJdbcUrl(cluster.proxy().mariadbUrl("app", ""));
        config.setUsername("app");
        config.setPassword("app_pass");
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(2);
        return new HikariDataSource(config);
    }

    private static long millisSince(final long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
