package org.semisync.proxy.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.testing.ProxyUnderTest;
import org.semisync.proxy.testing.SharedServers;

/** Real drivers through the proxy to real masters of every version. */
@ExtendWith(SharedServers.class)
class TransparentProxyIT {
    private static final java.util.Map<MariaDbVersion, ProxyUnderTest> PROXIES =
            new java.util.EnumMap<>(MariaDbVersion.class);

    @BeforeAll
    static void startProxies() {
        for (MariaDbVersion v : MariaDbVersion.values()) {
            // With a tracker and no replica (wait_no_slave OFF: nothing is held), every response still runs through the
            // commit gate's parser, so the whole driver matrix covers it.
            PROXIES.put(
                    v,
                    ProxyUnderTest.withTracker(
                            SharedServers.master(v).port(), SemiSyncSettings.DEFAULTS.withWaitNoSlave(false)));
        }
    }

    @AfterAll
    static void stopProxies() {
        PROXIES.values().forEach(ProxyUnderTest::close);
        PROXIES.clear();
    }

    private static Connection mariadb(final MariaDbVersion v, final String db, final String options)
            throws SQLException {
        return DriverManager.getConnection(
                PROXIES.get(v).mariadbUrl(db, options), EmbeddedMariaDb.APP_USER, EmbeddedMariaDb.APP_PASSWORD);
    }

    private static Connection mysql(final MariaDbVersion v, final String db, final String options) throws SQLException {
        return DriverManager.getConnection(
                PROXIES.get(v).mysqlUrl(db, options), EmbeddedMariaDb.APP_USER, EmbeddedMariaDb.APP_PASSWORD);
    }

    @ParameterizedTest
    @EnumSource(MariaDbVersion.class)
    void bothDriversQueryTheMasterThroughTheProxy(final MariaDbVersion v) throws SQLException {
        try (Connection c = mariadb(v, "", "");
                ResultSet rs = c.createStatement().executeQuery("SELECT VERSION(), CONNECTION_ID()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith(v.version());
        }
        try (Connection c = mysql(v, "", "");
                ResultSet rs = c.createStatement().executeQuery("SELECT 40 + 2")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @ParameterizedTest
    @EnumSource(MariaDbVersion.class)
    void wrongPasswordIsRejectedWithTheMastersOwnError(final MariaDbVersion v) {
        final String url = PROXIES.get(v).mariadbUrl("", "");
        assertThatThrownBy(() -> DriverManager.getConnection(url, EmbeddedMariaDb.APP_USER, "wrong"))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1045);
                    assertThat(e.getMessage()).contains("Access denied for user 'app'");
                });
        final String mysqlUrl = PROXIES.get(v).mysqlUrl("", "");
        assertThatThrownBy(() -> DriverManager.getConnection(mysqlUrl, EmbeddedMariaDb.APP_USER, "wrong"))
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
    }

    @ParameterizedTest
    @EnumSource(MariaDbVersion.class)
    void serverSidePreparedStatementsAndRollback(final MariaDbVersion v) throws SQLException {
        final String db = SharedServers.freshDatabase(SharedServers.master(v));
        try (Connection c = mysql(v, db, "useServerPrepStmts=true&cachePrepStmts=false")) {
            c.createStatement().execute("CREATE TABLE p (id INT PRIMARY KEY, name VARCHAR(30), amount DECIMAL(10,2))");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO p VALUES (?, ?, ?)")) {
                for (int i = 1; i <= 5; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "name-" + i);
                    insert.setBigDecimal(3, new java.math.BigDecimal(i + ".25"));
                    assertThat(insert.executeUpdate()).isEqualTo(1);
                }
            }
            c.setAutoCommit(false);
            c.createStatement().execute("DELETE FROM p WHERE id > 2");
            c.rollback();
            c.setAutoCommit(true);
            try (PreparedStatement select =
                    c.prepareStatement("SELECT name, amount FROM p WHERE id >= ? ORDER BY id")) {
                select.setInt(1, 2);
                try (ResultSet rs = select.executeQuery()) {
                    final List<String> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(rs.getString(1) + "=" + rs.getBigDecimal(2));
                    }
                    assertThat(rows).containsExactly("name-2=2.25", "name-3=3.25", "name-4=4.25", "name-5=5.25");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MariaDbVersion.class)
    void twentyMebibyteBlobRoundTrip(final MariaDbVersion v) throws SQLException {
        final String db = SharedServers.freshDatabase(SharedServers.master(v));
        final byte[] blob = new byte[20 * 1024 * 1024 + 123];
        new Random(v.ordinal()).nextBytes(blob);
        try (Connection c = mariadb(v, db, "useServerPrepStmts=true")) {
            c.createStatement().execute("CREATE TABLE b (id INT PRIMARY KEY, data LONGBLOB)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO b VALUES (1, ?)")) {
                insert.setBytes(1, blob);
                insert.executeUpdate();
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT data, LENGTH(data) FROM b WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(2)).isEqualTo(blob.length);
                assertThat(Arrays.equals(rs.getBytes(1), blob)).isTrue();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MariaDbVersion.class)
    void loadDataLocalInfileAndMultiStatements(final MariaDbVersion v) throws SQLException {
        final String db = SharedServers.freshDatabase(SharedServers.master(v));
        try (Connection c = mariadb(v, db, "allowLocalInfile=true&allowMultiQueries=true")) {
            final Statement s = c.createStatement();
            s.execute("CREATE TABLE l (id INT PRIMARY KEY, v VARCHAR(10))");
            final StringBuilder file = new StringBuilder();
            for (int i = 1; i <= 1000; i++) {
                file.append(i).append('\t').append("v").append(i).append('\n');
            }
            final org.mariadb.jdbc.Statement ms = s.unwrap(org.mariadb.jdbc.Statement.class);
            ms.setLocalInfileInputStream(
                    new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)));
            assertThat(ms.executeUpdate("LOAD DATA LOCAL INFILE 'ignored.tsv' INTO TABLE l"))
                    .isEqualTo(1000);

            assertThat(s.execute("SELECT COUNT(*) FROM l; UPDATE l SET v = 'x' WHERE id <= 10; SELECT MAX(id) FROM l"))
                    .isTrue();
            try (ResultSet rs = s.getResultSet()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1000);
            }
            assertThat(s.getMoreResults()).isFalse();
            assertThat(s.getUpdateCount()).isEqualTo(10);
            assertThat(s.getMoreResults()).isTrue();
            try (ResultSet rs = s.getResultSet()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1000);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MariaDbVersion.class)
    void changeUserAndResetConnection(final MariaDbVersion v) throws SQLException {
        try (Connection c = mysql(v, "", "")) {
            c.createStatement().execute("SET @marker = 7");
            ((com.mysql.cj.jdbc.JdbcConnection) c).changeUser(EmbeddedMariaDb.REPL_USER, EmbeddedMariaDb.REPL_PASSWORD);
            try (ResultSet rs = c.createStatement().executeQuery("SELECT CURRENT_USER(), @marker")) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("repl@");
                assertThat(rs.getString(2)).isNull();
            }
        }
        try (Connection c = mariadb(v, "", "useResetConnection=true")) {
            c.createStatement().execute("SET @marker = 9");
            c.unwrap(org.mariadb.jdbc.Connection.class).reset();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT @marker")) {
                rs.next();
                // Connector/J sends COM_RESET_CONNECTION only to MariaDB >= 10.3.13 (older ones had bugs with it).
                if (v != MariaDbVersion.V11_4_5) {
                    assertThat(rs.getString(1)).isEqualTo("9");
                } else {
                    assertThat(rs.getString(1)).isNull();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MariaDbVersion.class)
    void tlsFromTheClientIsTerminatedAtTheProxy(final MariaDbVersion v) throws SQLException {
        final long before = PROXIES.get(v).server().counters().tls();
        try (Connection c = mariadb(v, "", "sslMode=trust");
                ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
        try (Connection c = mysql(v, "", "").unwrap(Connection.class)) {
            assertThat(c.isValid(2)).isTrue();
        }
        final String tlsUrl = "jdbc:mysql://127.0.0.1:" + PROXIES.get(v).port() + "/?sslMode=REQUIRED";
        try (Connection c =
                        DriverManager.getConnection(tlsUrl, EmbeddedMariaDb.APP_USER, EmbeddedMariaDb.APP_PASSWORD);
                ResultSet rs = c.createStatement().executeQuery("SELECT 2")) {
            assertThat(rs.next()).isTrue();
        }
        assertThat(PROXIES.get(v).server().counters().tls()).isEqualTo(before + 2);
    }

    @ParameterizedTest
    @EnumSource(MariaDbVersion.class)
    void hikariPoolUnderConcurrentLoad(final MariaDbVersion v) throws Exception {
        final String db = SharedServers.freshDatabase(SharedServers.master(v));
        final HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(PROXIES.get(v).mariadbUrl(db, ""));
        cfg.setUsername(EmbeddedMariaDb.APP_USER);
        cfg.setPassword(EmbeddedMariaDb.APP_PASSWORD);
        cfg.setMaximumPoolSize(4);
        try (HikariDataSource pool = new HikariDataSource(cfg)) {
            try (Connection c = pool.getConnection()) {
                c.createStatement().execute("CREATE TABLE h (id INT PRIMARY KEY, worker INT)");
            }
            final ExecutorService workers = Executors.newFixedThreadPool(8);
            try {
                final List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    final int worker = w;
                    done.add(workers.submit(() -> {
                        for (int i = 0; i < 50; i++) {
                            try (Connection c = pool.getConnection();
                                    PreparedStatement ps = c.prepareStatement("INSERT INTO h VALUES (?, ?)")) {
                                ps.setInt(1, worker * 1000 + i);
                                ps.setInt(2, worker);
                                ps.executeUpdate();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                workers.shutdownNow();
            }
            try (Connection c = pool.getConnection();
                    ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*), COUNT(DISTINCT worker) FROM h")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(400);
                assertThat(rs.getInt(2)).isEqualTo(8);
            }
        }
    }
}
