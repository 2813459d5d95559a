package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.Gtid;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.Packet;

/** The gate of one session against a real AckTracker fed by hand. */
class SessionGateTest {
    static final long TRACK = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SESSION_TRACK;
    static final long NO_TRACK = Capabilities.CLIENT_PROTOCOL_41;
    static final String COMMIT_OK = "0000000240000000130011096c6173745f67746964" + "06302d312d3131";
    static final String INSERT_IN_TRX = "00010503000000";

    AckTracker tracker;
    ExecutorService loop;
    final List<String> released = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        tracker = AckTracker.builder()
                .settings(new SemiSyncSettings(true, 60_000, 1, true, false))
                .build()
                .start();
        loop = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stop() throws InterruptedException {
        tracker.close();
        loop.shutdown();
        assertThat(loop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    static Packet packet(final String hex) {
        return new Packet(1, Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex)));
    }

    void releaseTo(final Packet p) {
        released.add(ByteBufUtil.hexDump(p.payload()));
        p.release();
    }

    @Test
    void commitOkIsStrippedHeldAndReleasedByTheAck() throws Exception {
        final SessionGate session =
                new CommitGate(tracker, DetectionMode.MARIADB_TRACKING, null).openSession(TRACK, NO_TRACK, loop);
        final BinlogPosition start = BinlogPosition.parse("mysql-bin.000001:4");
        tracker.replicaConnected("2", start);

        session.commandStarted(Commands.COM_QUERY, "INSERT INTO t VALUES (1)");
        final Packet insert = session.rewriteOk(packet(INSERT_IN_TRX));
        assertThat(session.holdFinal(insert, this::releaseTo))
                .as("no GTID, not held")
                .isFalse();
        insert.release();

        session.commandStarted(Commands.COM_QUERY, "COMMIT");
        final Packet ok = session.rewriteOk(packet(COMMIT_OK));
        assertThat(ByteBufUtil.hexDump(ok.payload())).isEqualTo("00000002000000");
        assertThat(session.holdFinal(ok, this::releaseTo)).isTrue();
        final BinlogPosition end = BinlogPosition.parse("mysql-bin.000001:1621");
        tracker.transactionCommitted(Gtid.parse("0-1-11"), end);
        Thread.sleep(300);
        assertThat(released).as("held until the ACK").isEmpty();
        tracker.ack("2", end);
        awaitReleased(1);
        assertThat(released).containsExactly("00000002000000");
        assertThat(tracker.status().yesTx()).isEqualTo(1);
    }

    @Test
    void clientTrackingItsOwnStateKeepsIt() {
        final SessionGate session =
                new CommitGate(tracker, DetectionMode.MARIADB_TRACKING, null).openSession(TRACK, TRACK, loop);
        session.commandStarted(Commands.COM_QUERY, "SET session_track_system_variables='last_gtid'");
        assertThat(session.reapplyTrackingAfter()).isTrue();
        session.commandStarted(Commands.COM_QUERY, "COMMIT");
        final Packet ok = session.rewriteOk(packet(COMMIT_OK));
        assertThat(ByteBufUtil.hexDump(ok.payload())).isEqualTo(COMMIT_OK);
        ok.release();
    }

    @Test
    void connectorJRewriteOfTheListIsFollowedByReapplying() {
        final SessionGate session =
                new CommitGate(tracker, DetectionMode.MARIADB_TRACKING, null).openSession(TRACK, TRACK, loop);
        session.commandStarted(
                Commands.COM_QUERY,
                "set sql_mode=CONCAT(@@sql_mode,',STRICT_TRANS_TABLES'),session_track_system_variables = "
                        + "CONCAT(@@global.session_track_system_variables,',tx_isolation'),time_zone='+00:00',NAMES utf8mb4");
        assertThat(session.reapplyTrackingAfter()).isTrue();
        session.commandStarted(Commands.COM_QUERY, "COMMIT");
        assertThat(session.reapplyTrackingAfter()).isFalse();
        final Packet ok = session.rewriteOk(packet(COMMIT_OK));
        assertThat(ByteBufUtil.hexDump(ok.payload()))
                .as("the client did not ask for last_gtid: flag cleared, block cut")
                .isEqualTo("00000002000000");
        ok.release();
        session.commandStarted(Commands.COM_RESET_CONNECTION, null);
        assertThat(session.reapplyTrackingAfter()).isTrue();
    }

    @Test
    void probeModeBatchesAndWaitsForThePosition() throws Exception {
        final BinlogPosition probed = BinlogPosition.parse("mysql-bin.000001:900");
        final List<CompletableFuture<BinlogPosition>> probes = new CopyOnWriteArrayList<>();
        final ProbeBatcher<BinlogPosition> batcher = new ProbeBatcher<>(() -> {
            final CompletableFuture<BinlogPosition> f = new CompletableFuture<>();
            probes.add(f);
            return f;
        });
        final CommitGate gate = new CommitGate(tracker, DetectionMode.POSITION_PROBE, batcher);
        final SessionGate reader = gate.openSession(NO_TRACK, NO_TRACK, loop);
        final SessionGate writer = gate.openSession(NO_TRACK, NO_TRACK, loop);
        tracker.replicaConnected("2", BinlogPosition.parse("mysql-bin.000001:4"));

        reader.commandStarted(Commands.COM_QUERY, "SELECT * FROM t");
        final Packet readOk = packet("00000002000000");
        assertThat(reader.holdFinal(readOk, this::releaseTo)).isFalse();
        readOk.release();

        writer.commandStarted(Commands.COM_QUERY, "INSERT INTO t VALUES (1)");
        final Packet writeOk = writer.rewriteOk(packet("00010102000000"));
        assertThat(writer.holdFinal(writeOk, this::releaseTo)).isTrue();
        assertThat(probes).hasSize(1);
        probes.get(0).complete(probed);
        tracker.ack("2", BinlogPosition.parse("mysql-bin.000001:899"));
        Thread.sleep(300);
        assertThat(released)
                .as("an ACK below the probed position does not release")
                .isEmpty();
        tracker.ack("2", probed);
        awaitReleased(1);
        assertThat(released).containsExactly("00010102000000");
    }

    @Test
    void probeFailureReleasesInsteadOfHanging() throws Exception {
        final ProbeBatcher<BinlogPosition> batcher =
                new ProbeBatcher<>(() -> CompletableFuture.failedFuture(new IllegalStateException("no master")));
        final SessionGate session =
                new CommitGate(tracker, DetectionMode.POSITION_PROBE, batcher).openSession(NO_TRACK, NO_TRACK, loop);
        session.commandStarted(Commands.COM_STMT_EXECUTE, null);
        assertThat(session.holdFinal(packet("00010102000000"), this::releaseTo)).isTrue();
        awaitReleased(1);
    }

    void awaitReleased(final int n) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (released.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(released).hasSize(n);
    }
}
