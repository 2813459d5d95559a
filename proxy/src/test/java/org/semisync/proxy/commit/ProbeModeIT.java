package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.semisync.ack.SemiSyncSettings;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.testing.SharedServers;

/**
 * Position-probe mode on masters without usable tracking: a write's OK is held until an ACK reaches the position
 * SHOW MASTER STATUS read after it (on the real control pool); reads are not held.
 */
@ExtendWith(SharedServers.class)
class ProbeModeIT {
    @ParameterizedTest
    @EnumSource(
            value = MariaDbVersion.class,
            names = {"V10_1_23", "V10_2_11"})
    void writesWaitForAnAckAtTheProbedPosition(final MariaDbVersion version) throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(version);
        final String db = SharedServers.freshDatabase(master);
        master.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        final ExecutorService loop = Executors.newSingleThreadExecutor();
        final List<String> released = new CopyOnWriteArrayList<>();
        try (ControlPool pool = new ControlPool(
                        new HostPort("127.0.0.1", master.port()),
                        EmbeddedMariaDb.REPL_USER,
                        EmbeddedMariaDb.REPL_PASSWORD,
                        2);
                AckTracker tracker = AckTracker.builder()
                        .settings(new SemiSyncSettings(true, 60_000, 1, true, false))
                        .build()
                        .start();
                RawClient backend = new RawClient(master.port(), EmbeddedMariaDb.ROOT_USER, RawClient.BASE_CAPS)) {
            assertThat(pool.detectMode().get(30, TimeUnit.SECONDS)).isEqualTo(DetectionMode.POSITION_PROBE);
            final ProbeBatcher<BinlogPosition> batcher = new ProbeBatcher<>(pool::masterPosition);
            final SessionGate session = new CommitGate(tracker, DetectionMode.POSITION_PROBE, batcher)
                    .openSession(RawClient.BASE_CAPS, RawClient.BASE_CAPS, loop);
            final BinlogPosition before = pool.masterPosition().get(30, TimeUnit.SECONDS);
            tracker.replicaConnected("r1", before);

            assertThat(run(session, backend, "SELECT * FROM " + db + ".t", released))
                    .isFalse();
            assertThat(run(session, backend, "INSERT INTO " + db + ".t VALUES (1)", released))
                    .isTrue();
            final BinlogPosition after = pool.masterPosition().get(30, TimeUnit.SECONDS);
            assertThat(after).isGreaterThan(before);
            Thread.sleep(300);
            assertThat(released).as("held until the ACK").isEmpty();
            tracker.ack("r1", new BinlogPosition(after.file(), after.offset() - 1));
            Thread.sleep(300);
            assertThat(released).as("an ACK short of the probed position").isEmpty();
            tracker.ack("r1", after);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (released.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(released).containsExactly("INSERT INTO " + db + ".t VALUES (1)");
            assertThat(batcher.probesSent()).isEqualTo(1);
        } finally {
            loop.shutdown();
            assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static boolean run(
            final SessionGate session, final RawClient backend, final String sql, final List<String> released)
            throws Exception {
        session.commandStarted(Commands.COM_QUERY, sql);
        final Packet p = backend.query(sql);
        assertThat(p.isErr()).as(sql).isFalse();
        final Packet forClient = p.isOk() ? session.rewriteOk(p) : p;
        final boolean held = session.holdFinal(forClient, out -> {
            released.add(sql);
            out.release();
        });
        if (!held) {
            forClient.release();
        }
        return held;
    }
}
