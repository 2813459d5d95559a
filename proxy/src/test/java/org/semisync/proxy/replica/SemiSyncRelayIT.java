package org.semisync.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.semisync.proxy.binlog.BinlogRing;
import org.semisync.proxy.binlog.BinlogTail;
import org.semisync.proxy.binlog.ReplicationEvents;
import org.semisync.proxy.client.FrontendServer;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.config.ProxyConfig;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.demo.Replicas;
import org.semisync.proxy.testing.SharedServers;
import org.semisync.proxy.tls.TlsContexts;

/** Two stock 11.4.5 semi-sync replicas replicating from a real master through the proxy's relay. */
@ExtendWith(SharedServers.class)
class SemiSyncRelayIT {
    private static final ReplicationEvents NO_TRACKER = new ReplicationEvents() {
        @Override
        public void transactionEnded(final String gtid, final String file, final long endPosition) {}

        @Override
        public void replicaConnected(final String replicaId, final String file, final long position) {}

        @Override
        public void acknowledged(final String replicaId, final String file, final long position) {}

        @Override
        public void replicaDisconnected(final String replicaId) {}
    };

    static Stream<Arguments> mastersAndModes() {
        return Stream.of(MariaDbVersion.V11_4_5, MariaDbVersion.V10_2_11, MariaDbVersion.V10_1_23)
                .flatMap(v ->
                        Stream.of(Arguments.of(v, Replicas.Mode.GTID), Arguments.of(v, Replicas.Mode.FILE_POSITION)));
    }

    /**
     * Mixed workload (DDL, autocommit inserts, a multi-statement transaction, FLUSH BINARY LOGS rotations, a bulk insert)
     * with one replica stopped and started in the middle.
     */
    @ParameterizedTest(name = "{0} master, {1}")
    @MethodSource("mastersAndModes")
    void replicasConvergeWithSemiSyncOnAndEveryTransactionAcked(final MariaDbVersion version, final Replicas.Mode mode)
            throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(version);
        master.execute("FLUSH BINARY LOGS");
        final String file = master.masterStatus().split(":")[0];
        master.execute("CREATE DATABASE IF NOT EXISTS relay_marker");
        final String startGtid = master.queryString("SELECT @@gtid_binlog_pos");
        final String start = mode == Replicas.Mode.GTID ? startGtid : master.masterStatus();
        final AckCounters acks = new AckCounters();
        try (BinlogRing ring = new BinlogRing(1 << 16, NO_TRACKER, Executors.defaultThreadFactory());
                BinlogTail tail = new BinlogTail(
                        "127.0.0.1",
                        master.port(),
                        EmbeddedMariaDb.REPL_USER,
                        EmbeddedMariaDb.REPL_PASSWORD,
                        9100,
                        ring::publish);
                EmbeddedMariaDb replica1 = replica("relay-r1", 21);
                EmbeddedMariaDb replica2 = replica("relay-r2", 22)) {
            tail.startAt(file, 4, 10_000);
            final RelaySource source =
                    new RelaySource(ring, tail::formatDescription, master.serverId(), NO_TRACKER, acks);
            final ProxyConfig config = ProxyConfig.builder()
                    .master(new HostPort("127.0.0.1", master.port()))
                    .listen(new HostPort("127.0.0.1", 0))
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            final FrontendServer proxy =
                    FrontendServer.start(config, TlsContexts.create(config), () -> new ReplicaInterceptor(source));
            try {
                final int port = proxy.localAddress().getPort();
                for (EmbeddedMariaDb replica : List.of(replica1, replica2)) {
                    Replicas.pointAt(replica, "127.0.0.1", port, mode, start);
                }
                final String db = SharedServers.freshDatabase(master);
                int transactions = 1;
                master.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(64)) ENGINE=InnoDB");
                transactions++;
                for (int i = 0; i < 50; i++) {
                    master.execute("INSERT INTO " + db + ".t VALUES (" + i + ", 'v" + i + "')");
                    transactions++;
                    if (i == 20) {
                        master.execute("FLUSH BINARY LOGS");
                        replica1.execute("STOP SLAVE");
                    }
                    if (i == 30) {
                        replica1.execute("START SLAVE");
                    }
                }
                try (Connection c = master.rootConnection();
                        Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    st.execute("INSERT INTO " + db + ".t VALUES (100, 'a')");
                    st.execute("UPDATE " + db + ".t SET v = 'b' WHERE id < 10");
                    st.execute("DELETE FROM " + db + ".t WHERE id = 5");
                    c.commit();
                    transactions++;
                    c.setAutoCommit(true);
                    st.execute("FLUSH BINARY LOGS");
                    st.execute("CREATE TABLE " + db + ".big (id INT PRIMARY KEY, b LONGTEXT) ENGINE=InnoDB");
                    transactions++;
                }
                master.execute("SET GLOBAL max_allowed_packet = 64 * 1024 * 1024");
                try (Connection c = master.rootConnection();
                        Statement st = c.createStatement()) {
                    // a row event over 16 MiB: split into continuation packets on both hops
                    st.execute("INSERT INTO " + db + ".big VALUES (1, REPEAT('y', 17 * 1024 * 1024))");
                    transactions++;
                    st.execute("INSERT INTO " + db + ".t SELECT a.id * 1000 + b.id + 100000, REPEAT('x', 60) FROM " + db
                            + ".t a, " + db + ".t b");
                    transactions++;
                }
                master.execute("ALTER TABLE " + db + ".t ADD COLUMN w INT");
                transactions++;
                for (EmbeddedMariaDb replica : List.of(replica1, replica2)) {
                    Replicas.awaitCaughtUp(replica, master, Duration.ofSeconds(60));
                    assertThat(replica.checksum(db + ".t")).isEqualTo(master.checksum(db + ".t"));
                    assertThat(replica.checksum(db + ".big")).isEqualTo(master.checksum(db + ".big"));
                    assertThat(Replicas.semiSyncStatus(replica)).isEqualTo("ON");
                    final Map<Object, String> status = Replicas.status(replica);
                    assertThat(status.get("Master_Log_File") + ":" + status.get("Read_Master_Log_Pos"))
                            .isEqualTo(master.masterStatus());
                }
                final long deadline = System.nanoTime() + 10_000_000_000L;
                while ((acks.count("21") < transactions || acks.count("22") < transactions)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(acks.snapshot())
                        .containsEntry("21", (long) transactions)
                        .containsEntry("22", (long) transactions);
                assertThat(tail.failure()).isNull();
            } finally {
                for (EmbeddedMariaDb replica : List.of(replica1, replica2)) {
                    replica.execute("STOP SLAVE");
                }
                proxy.close();
            }
        }
    }

    private static EmbeddedMariaDb replica(final String name, final int serverId) {
        return EmbeddedMariaDb.builder(MariaDbVersion.V11_4_5)
                .name(name)
                .serverId(serverId)
                .option("rpl_semi_sync_slave_enabled", "ON")
                .build()
                .start();
    }
}
