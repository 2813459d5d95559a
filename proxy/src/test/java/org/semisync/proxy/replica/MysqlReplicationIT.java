package org.semisync.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.proxy.testing.ProxyUnderTest;
import org.semisync.proxy.testing.SemiSyncTopology;
import org.testcontainers.Testcontainers;
import org.testcontainers.mysql.MySQLContainer;

/**
 * MySQL 5.7 / 8.0 master without the semi-sync plugin, a MySQL replica of the same version with the semi-sync replica
 * plugin pointed at the proxy (file/position mode), a commit through the proxy held until the replica has it. Needs
 * Docker; skipped without it (this machine has none, so this test has not run here).
 */
@org.testcontainers.junit.jupiter.Testcontainers(disabledWithoutDocker = true)
class MysqlReplicationIT {
    @ParameterizedTest
    @ValueSource(strings = {"mysql:5.7", "mysql:8.0"})
    void mysqlReplicaReplicatesThroughTheProxyWithSemiSync(final String image) throws Exception {
        try (MySQLContainer master = new MySQLContainer(image)
                        .withCommand("--server-id=1", "--log-bin=mysql-bin", "--binlog-format=ROW");
                MySQLContainer replica = new MySQLContainer(image).withCommand("--server-id=2")) {
            master.start();
            replica.start();
            try (Connection m = root(master);
                    Statement s = m.createStatement()) {
                s.execute("CREATE USER 'repl'@'%' IDENTIFIED WITH mysql_native_password BY 'repl_pass'");
                s.execute("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'%'");
                s.execute("CREATE USER 'app'@'%' IDENTIFIED WITH mysql_native_password BY 'app_pass'");
                s.execute("GRANT ALL ON *.* TO 'app'@'%'");
                s.execute("CREATE DATABASE app");
                s.execute("CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(20))");
            }
            final String[] start;
            try (Connection m = root(master);
                    ResultSet rs = m.createStatement().executeQuery("SHOW MASTER STATUS")) {
                rs.next();
                start = new String[] {rs.getString(1), rs.getString(2)};
            }
            try (ProxyUnderTest proxy = ProxyUnderTest.withTracker(
                            master.getMappedPort(3306), SemiSyncSettings.DEFAULTS.withTimeoutMillis(5000));
                    Connection r = root(replica);
                    Statement rs = r.createStatement()) {
                Testcontainers.exposeHostPorts(proxy.port());
                rs.execute("CREATE DATABASE app");
                rs.execute("CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(20))");
                rs.execute("INSTALL PLUGIN rpl_semi_sync_slave SONAME 'semisync_slave.so'");
                rs.execute("SET GLOBAL rpl_semi_sync_slave_enabled = 1");
                rs.execute("CHANGE MASTER TO MASTER_HOST='host.testcontainers.internal', MASTER_PORT=" + proxy.port()
                        + ", MASTER_USER='repl', MASTER_PASSWORD='repl_pass', MASTER_LOG_FILE='" + start[0]
                        + "', MASTER_LOG_POS=" + start[1] + ", MASTER_CONNECT_RETRY=1");
                rs.execute("START SLAVE");
                SemiSyncTopology.awaitStatus(proxy, st -> st.clients() == 1);
                try (Connection app = DriverManager.getConnection(
                                proxy.mysqlUrl("app", "allowPublicKeyRetrieval=true"), "app", "app_pass");
                        Statement as = app.createStatement()) {
                    for (int i = 0; i < 10; i++) {
                        as.execute("INSERT INTO t VALUES (" + i + ", 'row')");
                    }
                }
                SemiSyncTopology.awaitStatus(proxy, st -> st.yesTx() >= 10 && st.noTx() == 0);
                final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                long rows = -1;
                while (System.nanoTime() < deadline) {
                    try (ResultSet count = rs.executeQuery("SELECT COUNT(*) FROM app.t")) {
                        count.next();
                        rows = count.getLong(1);
                    }
                    if (rows == 10) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertThat(rows).isEqualTo(10);
                try (ResultSet st = rs.executeQuery("SHOW STATUS LIKE 'Rpl_semi_sync_slave_status'")) {
                    st.next();
                    assertThat(st.getString(2)).isEqualTo("ON");
                }
            }
        }
    }

    private static Connection root(final MySQLContainer c) throws Exception {
        return DriverManager.getConnection(
                "jdbc:mysql://" + c.getHost() + ":" + c.getMappedPort(3306)
                        + "/?allowPublicKeyRetrieval=true&useSSL=false",
                "root",
                c.getPassword());
    }
}
