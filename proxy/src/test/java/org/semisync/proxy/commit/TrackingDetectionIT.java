package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.Gtid;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.OkPacket;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.testing.SharedServers;

/**
 * Real masters with session tracking: the OKs they send on a tracked session go through a SessionGate wired to a
 * real AckTracker fed by hand. Writes are held until the ACK; reads and statements that wrote nothing are not; the
 * Connector/J CONCAT rewrite followed by the proxy's re-apply keeps last_gtid tracked.
 */
@ExtendWith(SharedServers.class)
class TrackingDetectionIT {
    static final long BACKEND_CAPS = RawClient.BASE_CAPS | Capabilities.CLIENT_SESSION_TRACK;

    @ParameterizedTest
    @EnumSource(
            value = MariaDbVersion.class,
            names = {"V11_4_5"})
    void writesAreHeldUntilTheAckAndReadsAreNot(final MariaDbVersion version) throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(version);
        final String db = SharedServers.freshDatabase(master);
        final ExecutorService loop = Executors.newSingleThreadExecutor();
        final List<String> released = new CopyOnWriteArrayList<>();
        try (AckTracker tracker = AckTracker.builder()
                        .settings(new SemiSyncSettings(true, 60_000, 1, true, false))
                        .build()
                        .start();
                RawClient backend = new RawClient(master.port(), EmbeddedMariaDb.ROOT_USER, BACKEND_CAPS)) {
            final SessionGate session = new CommitGate(tracker, DetectionMode.MARIADB_TRACKING, null)
                    .openSession(BACKEND_CAPS, RawClient.BASE_CAPS, loop);
            tracker.replicaConnected("r1", BinlogPosition.parse("mysql-bin.000001:4"));
            // what MariaDB Connector/J sends on connect, then the proxy's re-apply
            run(
                    session,
                    backend,
                    "set session_track_system_variables = "
                            + "CONCAT(@@global.session_track_system_variables,',tx_isolation')");
            assertThat(session.reapplyTrackingAfter()).isTrue();
            for (final String sql : DetectionMode.MARIADB_TRACKING.trackingStatements()) {
                backend.query(sql).release();
            }

            assertThat(runHeld(session, backend, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)", released))
                    .as("DDL is a commit")
                    .isNotNull();
            // the binlog tail reports every transaction's end; stand in for it
            tracker.transactionCommitted(
                    Gtid.parse(master.queryString("SELECT @@global.gtid_binlog_pos")),
                    BinlogPosition.parse(masterPosition(master)));
            assertThat(runHeld(session, backend, "SELECT * FROM " + db + ".t", released))
                    .isNull();
            assertThat(runHeld(session, backend, "UPDATE " + db + ".t SET id = 2 WHERE id = 99", released))
                    .as("matched no row: no GTID")
                    .isNull();
            assertThat(runHeld(session, backend, "BEGIN", released)).isNull();
            assertThat(runHeld(session, backend, "INSERT INTO " + db + ".t VALUES (1)", released))
                    .as("inside a transaction")
                    .isNull();
            final String commitOk = runHeld(session, backend, "COMMIT", released);
            assertThat(commitOk)
                    .as("the client did not negotiate CLIENT_SESSION_TRACK: plain OK")
                    .isEqualTo("00000002000000");
            final String lastGtid = master.queryString("SELECT @@global.gtid_binlog_pos");
            Thread.sleep(300);
            assertThat(released).as("nothing released before the ACK").isEmpty();

            final BinlogPosition end = BinlogPosition.parse(masterPosition(master));
            tracker.transactionCommitted(Gtid.parse(lastGtid), end);
            tracker.ack("r1", end);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (released.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            // the DDL's GTID is older than the COMMIT's: the same ACK covers both
            assertThat(released).hasSize(2);
        } finally {
            loop.shutdown();
            assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static String masterPosition(final EmbeddedMariaDb master) {
        final var row = master.queryRow("SHOW MASTER STATUS");
        return row.get("File") + ":" + row.get("Position");
    }

    private static void run(final SessionGate session, final RawClient backend, final String sql) throws Exception {
        session.commandStarted(Commands.COM_QUERY, sql);
        final Packet p = backend.query(sql);
        assertThat(p.isOk()).as(sql).isTrue();
        session.rewriteOk(p).release();
    }

    /** Runs {@code sql}; returns the client-side payload (hex) if the gate held it (released later into {@code released}). */
    private static String runHeld(
            final SessionGate session, final RawClient backend, final String sql, final List<String> released)
            throws Exception {
        session.commandStarted(Commands.COM_QUERY, sql);
        final Packet p = backend.query(sql);
        assertThat(p.isErr()).as(sql).isFalse();
        final Packet forClient = p.isOk() ? session.rewriteOk(p) : p;
        if (forClient.isOk()) {
            assertThat(OkPacket.parse(forClient.payload(), RawClient.BASE_CAPS).sessionState())
                    .isEmpty();
        }
        final String hex = ByteBufUtil.hexDump(forClient.payload());
        final boolean held = session.holdFinal(forClient, released1 -> {
            released.add(sql);
            released1.release();
        });
        if (!held) {
            forClient.release();
            return null;
        }
        return hex;
    }
}
