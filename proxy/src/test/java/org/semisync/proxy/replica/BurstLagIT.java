package org.semisync.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.SemiSyncStatus;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.demo.Replicas;
import org.semisync.proxy.testing.FakeReplica;
import org.semisync.proxy.testing.GateCluster;
import org.semisync.proxy.testing.Signals;
import org.semisync.proxy.testing.Waits;
import org.slf4j.LoggerFactory;

/**
 * A write burst far larger than a deliberately tiny ring (256 KiB), through the proxy, with one replica frozen by
 * SIGSTOP for a few seconds while the other keeps up: the frozen replica falls behind the ring and just lags (served by
 * a master dump of its own from where its stream is, then from the ring again), nobody is disconnected or registers
 * again, semi-sync stays ON on both replicas, both end with the master's data, and the log says a line or two per
 * incident, not one per packet.
 */
class BurstLagIT {
    private static final long RING_BYTES = 256 << 10;
    private static final int STATEMENTS = 100;
    private static final int ROWS_PER_STATEMENT = 1000;
    private static final int BIG_ROW_BYTES = 1 << 20;

    @Test
    void aReplicaBehindTheRingLagsWithoutBeingDisconnected() throws Exception {
        final Logger proxyLog = (Logger) LoggerFactory.getLogger("org.semisync.proxy");
        final ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        final long started = System.nanoTime();
        try (GateCluster cluster = GateCluster.start(
                MariaDbVersion.V10_2_11, "burst", SemiSyncSettings.DEFAULTS.withTimeoutMillis(10_000), RING_BYTES)) {
            final EmbeddedMariaDb master = cluster.master();
            final EmbeddedMariaDb r1 = cluster.replicas().get(0);
            final EmbeddedMariaDb r2 = cluster.replicas().get(1);
            master.execute(
                    "SET GLOBAL innodb_flush_log_at_trx_commit = 2",
                    "SET GLOBAL sync_binlog = 0",
                    "CREATE TABLE app.burst (id INT PRIMARY KEY AUTO_INCREMENT, k INT NOT NULL,"
                            + " c CHAR(120) NOT NULL, pad CHAR(60) NOT NULL)",
                    "CREATE TABLE app.big (id INT PRIMARY KEY, b LONGBLOB)");
            for (EmbeddedMariaDb r : cluster.replicas()) {
                r.execute("SET GLOBAL innodb_flush_log_at_trx_commit = 2", "SET GLOBAL sync_binlog = 0");
                Replicas.awaitCaughtUp(r, master, Duration.ofSeconds(60));
            }
            await(
                    "both replicas served from the ring",
                    () -> cluster.proxy().relay().ringServedDumps() == 2);

            try (Connection app = cluster.mariadb("");
                    Statement s = app.createStatement()) {
                final long accepted = cluster.proxy().server().counters().accepted();
                proxyLog.addAppender(log);
                final long t0 = System.nanoTime();
                Signals.stop(r2);
                try {
                    burst(s, 0, STATEMENTS / 2);
                    s.execute("INSERT INTO big VALUES (1, REPEAT('x', " + BIG_ROW_BYTES + "))");
                    // frozen for at least 3 s, longer if the first half took longer
                    final long frozen = Duration.ofNanos(System.nanoTime() - t0).toMillis();
                    Thread.sleep(Math.max(0, 3000 - frozen));
                } finally {
                    Signals.cont(r2);
                }
                burst(s, STATEMENTS / 2, STATEMENTS);
                s.execute("INSERT INTO big VALUES (2, REPEAT('y', " + BIG_ROW_BYTES + "))");
                System.out.printf(
                        "burst: %d rows in %d ms through the proxy with r2 frozen for the first half%n",
                        STATEMENTS * ROWS_PER_STATEMENT,
                        Duration.ofNanos(System.nanoTime() - t0).toMillis());

                for (EmbeddedMariaDb r : cluster.replicas()) {
                    Replicas.awaitCaughtUp(r, master, Duration.ofSeconds(60));
                }
                cluster.assertReplicasMatch("app.burst");
                cluster.assertReplicasMatch("app.big");
                await(
                        "both replicas back on the ring",
                        () -> cluster.proxy().relay().ringServedDumps() == 2);
                proxyLog.detachAppender(log);

                assertThat(master.queryString("SELECT COUNT(*) FROM app.burst"))
                        .isEqualTo(Integer.toString(STATEMENTS * ROWS_PER_STATEMENT));
                assertThat(cluster.proxy().relay().catchUpDumps())
                        .as("the frozen replica fell behind the ring and lagged on through a master dump")
                        .isPositive();
                assertThat(cluster.proxy().server().counters().accepted())
                        .as("no replica reconnected")
                        .isEqualTo(accepted);
                final SemiSyncStatus status = cluster.proxy().tracker().status();
                assertThat(status.clients())
                        .as("both semi-sync replicas still connected")
                        .isEqualTo(2);
                assertThat(status.on()).as("semi-sync ON at the proxy").isTrue();
                for (EmbeddedMariaDb r : List.of(r1, r2)) {
                    assertThat(Replicas.status(r).get("Slave_IO_Running"))
                            .as(r.name() + " IO thread")
                            .isEqualTo("Yes");
                    assertThat(Replicas.semiSyncStatus(r))
                            .as(r.name() + " Rpl_semi_sync_slave_status")
                            .isEqualTo("ON");
                }

                // A replica whose connection ends (TCP reset) while hundreds of ring events wait in the proxy's
                // outbound buffer: each of those writes fails on its own; the log says so once.
                resetWhileBehind(cluster, s, proxyLog);
            }
        } finally {
            proxyLog.detachAppender(log);
        }
        final List<String> lines = lines(log);
        lines.forEach(l -> System.out.println("burst log: " + l));
        final long incidents =
                lines.stream().filter(l -> l.contains("fell behind")).count();
        assertThat(incidents).as("fell-behind incidents logged").isPositive();
        assertThat(lines)
                .as("a line or two per incident (fell behind, back on the ring), never one per packet")
                .hasSizeLessThanOrEqualTo((int) (2 * incidents + 4));
        assertThat(lines).noneMatch(l -> l.contains("ClosedChannel") || l.contains(" failed: "));
        System.out.printf(
                "burst lag: %d incident(s), %d log lines, %d s in all%n",
                incidents,
                lines.size(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    private static void resetWhileBehind(final GateCluster cluster, final Statement s, final Logger proxyLog)
            throws Exception {
        final ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        try (Socket socket = new Socket()) {
            // a small receive window: what the fake replica does not read piles up at the proxy
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", cluster.proxy().port()));
            final FakeReplica fake = new FakeReplica(socket);
            final String[] at = cluster.master().masterStatus().split(":");
            fake.startSemiSyncDump(at[0], Long.parseLong(at[1]));
            await("the fake replica on the ring", () -> cluster.proxy().relay().ringServedDumps() == 3);
            proxyLog.addAppender(log);
            // it reads nothing more: its socket and the proxy's outbound buffer fill
            burst(s, STATEMENTS, STATEMENTS + 20);
            fake.reset();
            await(
                    "the proxy saw the fake replica go",
                    () -> cluster.proxy().relay().ringServedDumps() == 2);
            Thread.sleep(500);
        } finally {
            proxyLog.detachAppender(log);
        }
        final List<String> lines = lines(log);
        lines.forEach(l -> System.out.println("reset log: " + l));
        assertThat(lines).as("one incident, a line or two").hasSizeLessThanOrEqualTo(3);
        assertThat(lines).noneMatch(l -> l.contains("ClosedChannel"));
        for (EmbeddedMariaDb r : cluster.replicas()) {
            Replicas.awaitCaughtUp(r, cluster.master(), Duration.ofSeconds(60));
        }
        cluster.assertReplicasMatch("app.burst");
    }

    private static List<String> lines(final ListAppender<ILoggingEvent> log) {
        return log.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
                .toList();
    }

    /** Statements {@code from} … {@code to - 1} of the burst, each inserting {@value #ROWS_PER_STATEMENT} rows. */
    private static void burst(final Statement s, final int from, final int to) throws Exception {
        for (int i = from; i < to; i++) {
            final StringBuilder sql = new StringBuilder("INSERT INTO burst (k, c, pad) VALUES ");
            for (int row = 0; row < ROWS_PER_STATEMENT; row++) {
                if (row > 0) {
                    sql.append(',');
                }
                final int n = i * ROWS_PER_STATEMENT + row;
                sql.append('(')
                        .append(n % 9973)
                        .append(",'")
                        .append(String.format("%011d-%011d-%011d-%011d-%011d", n, n * 7L, n * 13L, n * 17L, n * 19L))
                        .append("','")
                        .append(String.format("%011d-%011d-%011d-%011d", n, n * 3L, n * 5L, n * 11L))
                        .append("')");
            }
            s.execute(sql.toString());
        }
    }

    private static void await(final String what, final BooleanSupplier condition) throws InterruptedException {
        Waits.until(what, Duration.ofSeconds(60), condition);
    }
}
