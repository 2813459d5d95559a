package org.semisync.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.demo.Replicas;
import org.semisync.proxy.testing.GateCluster;
import org.semisync.proxy.testing.ProxyJar;
import org.semisync.proxy.testing.SemiSyncTopology;
import org.semisync.proxy.testing.SharedServers;
import org.semisync.proxy.testing.Signals;

/**
 * SIGTERM to the proxy process while a commit waits for a stalled replica: the proxy stops accepting at once, the
 * held commit still gets its OK when the replica acknowledges it (not before), and the process exits 0.
 */
@ExtendWith(SharedServers.class)
class GracefulStopIT {
    private static final long TIMEOUT_MILLIS = 20_000;

    @Test
    void sigtermLetsHeldCommitsFinishAndExitsZero() throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(MariaDbVersion.V11_4_5);
        final String db = SharedServers.freshDatabase(master);
        master.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        final Process proxy = ProxyJar.run(master, "--timeout", Long.toString(TIMEOUT_MILLIS))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (EmbeddedMariaDb replica = SemiSyncTopology.semiSyncReplica("graceful-replica", 71);
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8))) {
            final int port = readyPort(out);
            Replicas.pointAt(
                    replica, "127.0.0.1", port, Replicas.Mode.GTID, master.queryString("SELECT @@gtid_binlog_pos"));
            awaitStatus(port, "Rpl_semi_sync_master_clients", "1");

            final long pid = replica.pid();
            Signals.send("STOP", pid);
            final CompletableFuture<Long> commit = CompletableFuture.supplyAsync(() -> {
                try (Connection c = connect(port, db)) {
                    c.createStatement().executeUpdate("INSERT INTO t VALUES (1)");
                    return System.nanoTime();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitStatus(port, "Rpl_semi_sync_master_wait_sessions", "1");
            final String written = master.queryString("SELECT @@gtid_binlog_pos");

            proxy.destroy(); // SIGTERM
            awaitRefused(port);
            assertThat(commit).isNotDone();
            Thread.sleep(500);
            assertThat(commit).as("released before the replica acknowledged").isNotDone();

            final long resumed = System.nanoTime();
            Signals.send("CONT", pid);
            final long committed = commit.get(TIMEOUT_MILLIS / 2, TimeUnit.MILLISECONDS);
            assertThat(committed).isGreaterThan(resumed);
            assertThat(proxy.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(proxy.exitValue()).isZero();
            assertThat(GateCluster.received(replica, written))
                    .as("the replica received the held commit")
                    .isTrue();
        } finally {
            proxy.destroyForcibly();
        }
    }

    private static int readyPort(final BufferedReader out) throws Exception {
        final Pattern ready = Pattern.compile("ready: listening on 127\\.0\\.0\\.1:(\\d+)");
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            final Matcher m = ready.matcher(line);
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the proxy ended without its ready line");
    }

    private static Connection connect(final int port, final String db) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/" + db, "app", "app_pass");
    }

    private static void awaitStatus(final int port, final String name, final String value) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String seen = null;
        while (System.nanoTime() < deadline) {
            try (Connection c =
                            DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "app", "app_pass");
                    ResultSet rs = c.createStatement().executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
                seen = rs.next() ? rs.getString(2) : null;
            }
            if (value.equals(seen)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " stayed " + seen + ", expected " + value);
    }

    private static void awaitRefused(final int port) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Connection c = connect(port, "")) {
                Thread.sleep(20);
            } catch (SQLException e) {
                assertThatThrownBy(() -> connect(port, "").close()).isInstanceOf(SQLException.class);
                return;
            }
        }
        throw new AssertionError("the proxy still accepted clients 5 s after SIGTERM");
    }
}
