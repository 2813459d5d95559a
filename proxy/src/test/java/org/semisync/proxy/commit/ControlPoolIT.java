package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.semisync.ack.BinlogPosition;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.testing.SharedServers;

/** Mode detection, position probes and the tracking statement against real masters. */
@ExtendWith(SharedServers.class)
class ControlPoolIT {
    @ParameterizedTest
    @EnumSource(MariaDbVersion.class)
    void detectsTheModeAndProbesAGrowingPosition(final MariaDbVersion version) throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(version);
        final String db = SharedServers.freshDatabase(master);
        try (ControlPool pool = new ControlPool(
                new HostPort("127.0.0.1", master.port()),
                EmbeddedMariaDb.REPL_USER,
                EmbeddedMariaDb.REPL_PASSWORD,
                2)) {
            final DetectionMode mode = pool.detectMode().get(30, TimeUnit.SECONDS);
            assertThat(mode)
                    .isEqualTo(
                            version != MariaDbVersion.V11_4_5
                                    ? DetectionMode.POSITION_PROBE
                                    : DetectionMode.MARIADB_TRACKING);
            final BinlogPosition before = pool.masterPosition().get(30, TimeUnit.SECONDS);
            master.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY)", "INSERT INTO " + db + ".t VALUES (1)");
            final BinlogPosition after = pool.masterPosition().get(30, TimeUnit.SECONDS);
            assertThat(after).isGreaterThan(before);
            if (mode.tracking()) {
                assertTrackingStatementAddsLastGtidOnce(master, mode);
            }
        }
    }

    private static void assertTrackingStatementAddsLastGtidOnce(final EmbeddedMariaDb master, final DetectionMode mode)
            throws Exception {
        try (Connection c = DriverManager.getConnection(master.jdbcUrl(""), EmbeddedMariaDb.ROOT_USER, "");
                Statement s = c.createStatement()) {
            s.execute("SET session_track_system_variables = 'autocommit,tx_isolation'");
            for (int i = 0; i < 2; i++) { // idempotent: a second run must not add it twice
                for (final String sql : mode.trackingStatements()) {
                    s.execute(sql);
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT @@session.session_track_system_variables")) {
                assertThat(rs.next()).isTrue();
                final String value = rs.getString(1).toLowerCase();
                assertThat(value)
                        .contains("autocommit")
                        .contains("tx_isolation")
                        .contains("last_gtid");
                assertThat(value.indexOf("last_gtid")).isEqualTo(value.lastIndexOf("last_gtid"));
            }
            s.execute("SET session_track_system_variables = ''");
            for (final String sql : mode.trackingStatements()) {
                s.execute(sql);
            }
            try (ResultSet rs = s.executeQuery("SELECT @@session.session_track_system_variables")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("last_gtid");
            }
        }
    }
}
