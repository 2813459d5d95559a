package org.semisync.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.SemiSyncStatus;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.demo.Replicas;
import org.semisync.proxy.testing.ProxyUnderTest;
import org.semisync.proxy.testing.SemiSyncTopology;

/** Stock 11.4.5 replicas with semi-sync ON replicate through the proxy from masters without the plugin. */
class ReplicationThroughProxyIT {
    static Stream<Arguments> mastersAndModes() {
        return Stream.of(
                Arguments.of(MariaDbVersion.V10_2_11, Replicas.Mode.GTID),
                Arguments.of(MariaDbVersion.V11_4_5, Replicas.Mode.GTID),
                Arguments.of(MariaDbVersion.V10_1_23, Replicas.Mode.GTID),
                Arguments.of(MariaDbVersion.V10_2_11, Replicas.Mode.FILE_POSITION),
                Arguments.of(MariaDbVersion.V11_4_5, Replicas.Mode.FILE_POSITION),
                Arguments.of(MariaDbVersion.V10_1_23, Replicas.Mode.FILE_POSITION));
    }

    @ParameterizedTest
    @MethodSource("mastersAndModes")
    void twoSemiSyncReplicasAckEveryTransaction(final MariaDbVersion version, final Replicas.Mode mode)
            throws Exception {
        try (EmbeddedMariaDb master = EmbeddedMariaDb.builder(version)
                        .name("relay-master")
                        .serverId(1)
                        .build()
                        .start();
                EmbeddedMariaDb r1 = SemiSyncTopology.semiSyncReplica("relay-replica1", 2);
                EmbeddedMariaDb r2 = SemiSyncTopology.semiSyncReplica("relay-replica2", 3);
                ProxyUnderTest proxy = ProxyUnderTest.withTracker(master.port(), SemiSyncSettings.DEFAULTS)) {
            master.execute("CREATE TABLE app.base (id INT PRIMARY KEY)");
            master.execute("CREATE TABLE app.big (id INT PRIMARY KEY, b LONGBLOB)");
            final String gtidStart = master.queryString("SELECT @@gtid_binlog_pos");
            final long seqBefore = sequence(gtidStart);
            final String start = mode == Replicas.Mode.GTID ? gtidStart : master.masterStatus();
            for (EmbeddedMariaDb r : List.of(r1, r2)) {
                // the tables created before the start position, without binlogging them on the replica
                r.execute(
                        "SET sql_log_bin = 0",
                        "CREATE TABLE app.base (id INT PRIMARY KEY)",
                        "CREATE TABLE app.big (id INT PRIMARY KEY, b LONGBLOB)");
                Replicas.pointAt(r, "127.0.0.1", proxy.port(), mode, start);
            }
            SemiSyncTopology.awaitStatus(proxy, st -> st.clients() == 2);

            master.execute(
                    "CREATE TABLE app.t (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(64), n BIGINT)",
                    "INSERT INTO app.t (v, n) VALUES ('a', 1)",
                    "INSERT INTO app.t (v, n) VALUES ('b', 2), ('c', 3)");
            try (var c = master.rootConnection()) {
                c.setAutoCommit(false);
                for (int i = 0; i < 50; i++) {
                    c.createStatement().execute("INSERT INTO app.t (v, n) VALUES ('trx', " + i + ")");
                }
                c.commit();
                c.setAutoCommit(true);
            }
            master.execute(
                    "FLUSH BINARY LOGS",
                    "UPDATE app.t SET n = n * 10 WHERE id % 2 = 0",
                    "ALTER TABLE app.t ADD COLUMN extra INT DEFAULT 7",
                    "INSERT INTO app.t (v, n) SELECT CONCAT('copy-', v), n FROM app.t",
                    "FLUSH BINARY LOGS",
                    "DELETE FROM app.t WHERE id < 5",
                    // one row event over 16 MiB: continuation packets, re-split after the semi-sync header
                    "INSERT INTO app.big VALUES (1, REPEAT('x', 17 * 1024 * 1024))",
                    // one transaction of a million rows
                    "CREATE TABLE app.million (id INT PRIMARY KEY, v CHAR(8))",
                    "INSERT INTO app.million SELECT seq, 'million' FROM app.seq_1_to_1000000");
            final long transactions = sequence(master.queryString("SELECT @@gtid_binlog_pos")) - seqBefore;

            for (EmbeddedMariaDb r : List.of(r1, r2)) {
                Replicas.awaitCaughtUp(r, master, Duration.ofSeconds(60));
                assertThat(r.checksum("app.t")).isEqualTo(master.checksum("app.t"));
                assertThat(r.checksum("app.big")).isEqualTo(master.checksum("app.big"));
                assertThat(r.checksum("app.million")).isEqualTo(master.checksum("app.million"));
                assertThat(r.queryString("SELECT COUNT(*) FROM app.million")).isEqualTo("1000000");
                assertThat(Replicas.semiSyncStatus(r)).isEqualTo("ON");
                final Map<Object, String> status = Replicas.status(r);
                assertThat(status.get("Master_Log_File") + ":" + status.get("Read_Master_Log_Pos"))
                        .isEqualTo(master.masterStatus());
            }
            // The quorum (one replica) acknowledges the newest transaction. A replica acknowledges an older one, or
            // the newest, only if it was asked to: like the plugin, the proxy asks for no ACK of a transaction the
            // quorum already acknowledged when it is sent (the slower replica, or one catching up, streams those
            // without a round trip each; with the replicas on two event loops the slower one may be asked for few or
            // none), nor of one whose end goes out in the same flush as a later one's. How many were asked
            // for depends on timing (the statements run on the master directly, back to back); that every request
            // was answered does not.
            final BinlogPosition last = position(lastTransactionEnd(master));
            // waits until the quorum covers it and every request is answered; the assertions below say which failed
            final SemiSyncStatus s = SemiSyncTopology.statusWithin(
                    proxy,
                    st -> st.quorumPosition() != null
                            && st.quorumPosition().covers(last)
                            && st.replicas().stream()
                                            .mapToLong(SemiSyncStatus.ReplicaView::acks)
                                            .sum()
                                    == st.netWaits(),
                    Duration.ofSeconds(30));
            assertThat(s.clients()).isEqualTo(2);
            assertThat(s.replicas()).allSatisfy(rep -> assertThat(rep.acks()).isBetween(0L, transactions));
            assertThat(s.replicas())
                    .as("the replica that acknowledged the newest transaction")
                    .anySatisfy(rep -> assertThat(
                                    rep.watermark() != null && rep.watermark().covers(last))
                            .isTrue());
            assertThat(s.replicas().stream()
                            .mapToLong(SemiSyncStatus.ReplicaView::acks)
                            .sum())
                    .as("every ACK asked for (net_waits) was sent, and no other")
                    .isEqualTo(s.netWaits());
            // the quorum covers the last transaction, and at most what the master wrote after it (a checkpoint, which
            // the relay counts as covered once the transaction before it is acknowledged)
            assertThat(s.quorumPosition())
                    .isBetween(position(lastTransactionEnd(master)), position(master.masterStatus()));
            // both replicas were served from the shared ring in the end, not by dumps of their own on the master
            assertThat(proxy.relay().ringServedDumps()).isEqualTo(2);
        }
    }

    /** {@code file:end} of the last Xid or non-BEGIN Query event in the master's current binlog. */
    private static String lastTransactionEnd(final EmbeddedMariaDb master) throws Exception {
        final String file = master.masterStatus().split(":")[0];
        String end = null;
        try (var c = master.rootConnection();
                var rs = c.createStatement().executeQuery("SHOW BINLOG EVENTS IN '" + file + "'")) {
            while (rs.next()) {
                final String type = rs.getString("Event_type");
                if (type.equals("Xid")
                        || (type.equals("Query") && !rs.getString("Info").equals("BEGIN"))) {
                    end = file + ":" + rs.getString("End_log_pos");
                }
            }
        }
        return end;
    }

    private static BinlogPosition position(final String fileColonOffset) {
        final int colon = fileColonOffset.lastIndexOf(':');
        return new BinlogPosition(
                fileColonOffset.substring(0, colon), Long.parseLong(fileColonOffset.substring(colon + 1)));
    }

    private static long sequence(final String gtidPos) {
        return gtidPos.isEmpty() ? 0 : Long.parseLong(gtidPos.substring(gtidPos.lastIndexOf('-') + 1));
    }
}
