package org.semisync.proxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.semisync.proxy.testing.SharedServers;

@ExtendWith(SharedServers.class)
class EmbeddedMariaDbIT {
    @ParameterizedTest
    @EnumSource(MariaDbVersion.class)
    void startsWithBinlogAndAccounts(final MariaDbVersion version) {
        final EmbeddedMariaDb master = SharedServers.master(version);
        assertThat(master.queryString("SELECT VERSION()")).startsWith(version.version());
        assertThat(master.queryString("SELECT @@log_bin")).isEqualTo("1");
        assertThat(master.queryString("SELECT @@binlog_format")).isEqualTo("ROW");
        assertThat(master.queryString("SELECT COUNT(*) FROM mysql.user WHERE user=''"))
                .isEqualTo("0");
        final String db = SharedServers.freshDatabase(master);
        final String before = master.masterStatus();
        master.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)", "INSERT INTO " + db + ".t VALUES (1)");
        assertThat(master.masterStatus()).isNotEqualTo(before).startsWith("mysql-bin.");
    }

    @Test
    void killedServerRestartsWithItsData() {
        try (EmbeddedMariaDb server = EmbeddedMariaDb.builder(MariaDbVersion.V10_2_11)
                .name("restart")
                .serverId(7)
                .build()
                .start()) {
            server.execute("CREATE TABLE app.k (id INT PRIMARY KEY)", "INSERT INTO app.k VALUES (42)");
            final long pid = server.pid();
            server.kill();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .isFalse();
            assertThat(server.isRunning()).isFalse();
            server.start();
            assertThat(server.queryString("SELECT id FROM app.k")).isEqualTo("42");
        }
    }

    @Test
    void oldMasterReplicatesToCurrentReplicaDirectly() {
        final EmbeddedMariaDb master = SharedServers.master(MariaDbVersion.V10_2_11);
        final String startAfter = master.queryString("SELECT @@gtid_binlog_pos");
        // the `app` database exists on every embedded server (created without binlogging)
        final String db = "app";
        try (EmbeddedMariaDb replica = EmbeddedMariaDb.builder(MariaDbVersion.V11_4_5)
                .name("direct-replica")
                .serverId(21)
                .build()
                .start()) {
            Replicas.pointAt(
                    replica,
                    "127.0.0.1",
                    master.port(),
                    Replicas.Mode.GTID,
                    master.queryString("SELECT @@gtid_current_pos"));
            master.execute(
                    "CREATE TABLE " + db + ".r (id INT PRIMARY KEY, v VARCHAR(20))",
                    "INSERT INTO " + db + ".r VALUES (1, 'one'), (2, 'two')",
                    "CREATE DATABASE IF NOT EXISTS more",
                    "CREATE TABLE more.m (id INT PRIMARY KEY)",
                    "INSERT INTO more.m VALUES (1)");
            Replicas.awaitCaughtUp(replica, master, Duration.ofSeconds(30));
            assertThat(replica.checksum(db + ".r")).isEqualTo(master.checksum(db + ".r"));
            assertThat(replica.checksum("more.m")).isEqualTo(master.checksum("more.m"));
        }
    }
}
