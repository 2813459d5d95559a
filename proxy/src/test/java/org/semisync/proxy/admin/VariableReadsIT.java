package org.semisync.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.proxy.admin.VariableReads.Dialect;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.testing.SharedServers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every rewritten form of reading the semi-sync variables and status, run directly against real masters (10.2.11
 * without the plugin, 11.4.5 with it built in): the proxy's rows replace the master's rows of the same names, the
 * master's other rows and the column labels stay as the statement as written gives them.
 */
@ExtendWith(SharedServers.class)
class VariableReadsIT {
    private static final Logger LOG = LoggerFactory.getLogger(VariableReadsIT.class);

    /** Values unlike the master's defaults, so that it shows whose rows came back. */
    private static final ProxyRows ROWS = new ProxyRows(
            ProxyVariables.variables(
                    SemiSyncSettings.DEFAULTS.withTimeoutMillis(1234).withWaitNoSlave(false), TraceLevel.DEFAULT),
            status());

    /** Status rows under the plugin's names (and the proxy's position_probes), with values the master has not. */
    private static Map<String, String> status() {
        final Map<String, String> m = new LinkedHashMap<>();
        long value = 2;
        for (final String name : List.of(
                "clients",
                "get_ack",
                "net_avg_wait_time",
                "net_wait_time",
                "net_waits",
                "no_times",
                "no_tx",
                "position_probes",
                "request_ack",
                "status",
                "timefunc_failures",
                "tx_avg_wait_time",
                "tx_wait_time",
                "tx_waits",
                "wait_pos_backtraverse",
                "wait_sessions",
                "yes_tx")) {
            m.put("Rpl_semi_sync_master_" + name, name.equals("status") ? "ON" : Long.toString(value++));
        }
        return m;
    }

    /** Session variables whose value changes between two statements. */
    private static final Set<String> VOLATILE = Set.of("timestamp", "rand_seed1", "rand_seed2");

    /** The proxy's names the plugin does not have. */
    private static final Set<String> PROXY_ONLY = Set.of(
            "rpl_semi_sync_master_enforced",
            "rpl_semi_sync_master_wait_for_slave_count",
            "Rpl_semi_sync_master_position_probes");

    record Result(List<String> labels, List<List<String>> rows) {
        /** First column → second column. */
        Map<String, String> byName() {
            final Map<String, String> m = new LinkedHashMap<>();
            rows.forEach(r -> m.put(r.get(0), r.get(1)));
            return m;
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = MariaDbVersion.class,
            names = {"V10_2_11", "V11_4_5"})
    void showStatements(final MariaDbVersion version) throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(version);
        try (Connection c = master.rootConnection();
                Statement s = c.createStatement()) {
            for (final String scope : List.of("GLOBAL ", "SESSION ", "LOCAL ", "")) {
                for (final boolean status : List.of(false, true)) {
                    final String show = "SHOW " + scope + (status ? "STATUS" : "VARIABLES");
                    final Map<String, String> proxy = status ? ROWS.status() : ROWS.variables();
                    assertShow(s, show, proxy, LikePattern.any(), status);
                    assertShow(s, show + " LIKE '%semi%'", proxy, LikePattern.of("%semi%"), status);
                    assertShow(
                            s,
                            show + " like 'RPL\\_SEMI\\_SYNC\\_MASTER\\_T%'",
                            proxy,
                            LikePattern.of("RPL\\_SEMI\\_SYNC\\_MASTER\\_T%"),
                            status);
                    assertShow(
                            s,
                            show + " WHERE Variable_name LIKE 'rpl_semi_sync_master%' OR Variable_name IN"
                                    + " ('version', 'Uptime', 'Com_select')",
                            proxy,
                            LikePattern.of("rpl_semi_sync_master%"),
                            status);
                }
            }
            // a WHERE over the values
            final Result r = run(
                    s,
                    VariableReads.rewrite(
                            "show global variables where Value = '1234' and variable_name like '%timeout'",
                            ROWS, Dialect.MARIADB));
            assertThat(r.byName()).containsEntry("rpl_semi_sync_master_timeout", "1234");
        }
    }

    private static void assertShow(
            final Statement s,
            final String sql,
            final Map<String, String> proxy,
            final LikePattern filter,
            final boolean status)
            throws SQLException {
        final String rewritten = VariableReads.rewrite(sql, ROWS, Dialect.MARIADB);
        assertThat(rewritten).as(sql).isNotNull();
        final Result original = run(s, sql);
        final Result mine = run(s, rewritten);
        assertThat(mine.labels()).as(sql).isEqualTo(original.labels());
        final Map<String, String> got = mine.byName();
        final Set<String> proxyLower =
                proxy.keySet().stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        // the proxy's rows, in SHOW's letter case, with the proxy's values
        final Map<String, String> expectedProxy = new TreeMap<>();
        proxy.forEach((name, value) -> {
            if (filter.matches(name)) {
                expectedProxy.put(name, value);
            }
        });
        final Map<String, String> gotProxy = new TreeMap<>();
        got.forEach((name, value) -> {
            if (proxyLower.contains(name.toLowerCase(Locale.ROOT))) {
                gotProxy.put(name, value);
            }
        });
        assertThat(gotProxy).as(sql).isEqualTo(expectedProxy);
        // the master's other rows: same names in the same letter case, same values (variables)
        final Map<String, String> masterOthers = new TreeMap<>();
        original.byName().forEach((name, value) -> {
            if (!proxyLower.contains(name.toLowerCase(Locale.ROOT))) {
                masterOthers.put(name, value);
            }
        });
        final Map<String, String> gotOthers = new TreeMap<>(got);
        gotOthers.keySet().removeAll(gotProxy.keySet());
        assertThat(gotOthers.keySet()).as(sql).isEqualTo(masterOthers.keySet());
        if (!status) {
            masterOthers.keySet().removeAll(VOLATILE);
            gotOthers.keySet().removeAll(VOLATILE);
            assertThat(gotOthers).as(sql).isEqualTo(masterOthers);
        }
        // sorted by name
        final List<String> names = new ArrayList<>(got.keySet());
        assertThat(names).as(sql).isSortedAccordingTo(Comparator.comparing(n -> n.toLowerCase(Locale.ROOT)));
        assertThat(got).as(sql).hasSize(mine.rows().size());
    }

    @ParameterizedTest
    @EnumSource(
            value = MariaDbVersion.class,
            names = {"V10_2_11", "V11_4_5"})
    void informationSchemaTables(final MariaDbVersion version) throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(version);
        try (Connection c = master.rootConnection();
                Statement s = c.createStatement()) {
            for (final String table :
                    List.of("GLOBAL_VARIABLES", "SESSION_VARIABLES", "GLOBAL_STATUS", "SESSION_STATUS")) {
                final boolean status = table.endsWith("STATUS");
                final Map<String, String> proxy = upperCase(status ? ROWS.status() : ROWS.variables());
                for (final String sql : List.of(
                        "SELECT * FROM information_schema." + table,
                        "select VARIABLE_NAME, variable_value from INFORMATION_SCHEMA." + table.toLowerCase(Locale.ROOT)
                                + " WHERE VARIABLE_NAME LIKE '%SEMI%' ORDER BY 1",
                        "SELECT t.VARIABLE_NAME AS n, t.VARIABLE_VALUE FROM `information_schema`.`" + table
                                + "` AS t WHERE t.VARIABLE_NAME LIKE 'rpl%' OR t.VARIABLE_NAME = 'VERSION'")) {
                    final String rewritten = VariableReads.rewrite(sql, ROWS, Dialect.MARIADB);
                    assertThat(rewritten).as(sql).isNotNull();
                    final Result original = run(s, sql);
                    final Result mine = run(s, rewritten);
                    assertThat(mine.labels()).as(sql).isEqualTo(original.labels());
                    final Map<String, String> got = mine.byName();
                    assertThat(got).as(sql).hasSize(mine.rows().size()).containsAllEntriesOf(proxy);
                    final Set<String> masterOthers =
                            new LinkedHashSet<>(original.byName().keySet());
                    masterOthers.removeAll(proxy.keySet());
                    final Set<String> gotOthers = new LinkedHashSet<>(got.keySet());
                    gotOthers.removeAll(proxy.keySet());
                    if (sql.contains("LIKE")) {
                        // the filter applies to the proxy's rows too: here all of them match 'rpl%'
                        assertThat(got.keySet()).as(sql).containsAll(proxy.keySet());
                    }
                    assertThat(gotOthers).as(sql).isEqualTo(masterOthers);
                }
            }
            // a join of two rewritten tables, a WHERE on the name
            final Result joined = run(
                    s,
                    VariableReads.rewrite(
                            "SELECT g.VARIABLE_NAME, g.VARIABLE_VALUE, s.VARIABLE_VALUE AS session_value"
                                    + " FROM information_schema.GLOBAL_VARIABLES g"
                                    + " JOIN information_schema.SESSION_VARIABLES s USING (VARIABLE_NAME)"
                                    + " WHERE g.VARIABLE_NAME = 'rpl_semi_sync_master_timeout'",
                            ROWS,
                            Dialect.MARIADB));
            assertThat(joined.labels()).containsExactly("VARIABLE_NAME", "VARIABLE_VALUE", "session_value");
            assertThat(joined.rows()).containsExactly(List.of("RPL_SEMI_SYNC_MASTER_TIMEOUT", "1234", "1234"));
            final String threePart = "SELECT information_schema.GLOBAL_VARIABLES.VARIABLE_VALUE"
                    + " FROM information_schema.GLOBAL_VARIABLES"
                    + " WHERE information_schema.GLOBAL_VARIABLES.VARIABLE_NAME IN ('VERSION', 'RPL_SEMI_SYNC_MASTER_TIMEOUT')"
                    + " ORDER BY information_schema.GLOBAL_VARIABLES.VARIABLE_NAME";
            final Result threePartOriginal = run(s, threePart);
            final Result threePartMine = run(s, VariableReads.rewrite(threePart, ROWS, Dialect.MARIADB));
            assertThat(threePartMine.labels()).isEqualTo(threePartOriginal.labels());
            assertThat(threePartMine.rows())
                    .containsExactly(
                            List.of("1234"),
                            threePartOriginal
                                    .rows()
                                    .get(threePartOriginal.rows().size() - 1));
            final Result one = run(
                    s,
                    VariableReads.rewrite(
                            "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                                    + " WHERE VARIABLE_NAME = 'Rpl_semi_sync_master_position_probes'",
                            ROWS,
                            Dialect.MARIADB));
            assertThat(one.rows()).containsExactly(List.of(ROWS.status().get("Rpl_semi_sync_master_position_probes")));
        }
    }

    @Test
    void performanceSchemaStatusTablesStayEmptyWhenOffOn1145() throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(MariaDbVersion.V11_4_5);
        try (Connection c = master.rootConnection();
                Statement s = c.createStatement()) {
            for (final String table : List.of("global_status", "session_status")) {
                final String sql =
                        "SELECT * FROM performance_schema." + table + " WHERE VARIABLE_NAME LIKE 'rpl_semi%'";
                final Result original = run(s, sql);
                final Result mine = run(s, VariableReads.rewrite(sql, ROWS, Dialect.MARIADB));
                LOG.info("{}: the master's own rows {}, rewritten {}", sql, original.rows(), mine.rows());
                assertThat(mine.labels()).isEqualTo(original.labels());
                // performance_schema is off: the tables are empty, with or without the proxy's rows
                assertThat(mine.rows()).isEqualTo(original.rows()).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = MariaDbVersion.class,
            names = {"V10_2_11", "V11_4_5"})
    void systemVariables(final MariaDbVersion version) throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(version);
        try (Connection c = master.rootConnection();
                Statement s = c.createStatement()) {
            final String sql =
                    "SELECT @@version, @@rpl_semi_sync_master_timeout, @@global.rpl_semi_sync_master_enabled,"
                            + " @@rpl_semi_sync_master_wait_point, @@GLOBAL.Rpl_Semi_Sync_Master_Trace_Level,"
                            + " @@rpl_semi_sync_master_timeout  /  1000, @@rpl_semi_sync_master_timeout AS t,"
                            + " @@rpl_semi_sync_master_wait_no_slave w, IF(@@rpl_semi_sync_master_enabled, 'on', 'off'),"
                            + " @@rpl_semi_sync_master_enforced, @@rpl_semi_sync_master_wait_for_slave_count";
            final Result mine = run(s, VariableReads.rewrite(sql, ROWS, Dialect.MARIADB));
            final List<String> labels = List.of(
                    "@@version",
                    "@@rpl_semi_sync_master_timeout",
                    "@@global.rpl_semi_sync_master_enabled",
                    "@@rpl_semi_sync_master_wait_point",
                    "@@GLOBAL.Rpl_Semi_Sync_Master_Trace_Level",
                    "@@rpl_semi_sync_master_timeout  /  1000",
                    "t",
                    "w",
                    "IF(@@rpl_semi_sync_master_enabled, 'on', 'off')",
                    "@@rpl_semi_sync_master_enforced",
                    "@@rpl_semi_sync_master_wait_for_slave_count");
            assertThat(mine.labels()).isEqualTo(labels);
            assertThat(mine.rows().get(0).subList(1, labels.size()))
                    .containsExactly("1234", "1", "AFTER_COMMIT", "32", "1.2340", "1234", "0", "on", "0", "1");
            if (version == MariaDbVersion.V11_4_5) {
                // the plugin's own names: the same labels; the proxy-only names are unknown to the master
                final String plugin = sql.substring(0, sql.indexOf(", @@rpl_semi_sync_master_enforced"));
                assertThat(run(s, plugin).labels()).isEqualTo(labels.subList(0, labels.size() - 2));
            } else {
                assertThatThrownBy(() -> run(s, sql))
                        .isInstanceOfSatisfying(
                                SQLException.class,
                                e -> assertThat(e.getErrorCode()).isEqualTo(1193));
            }
            // unsigned like the server's: out of range below zero (error 1690 on 11.4.5's own variable too)
            assertThatThrownBy(() -> run(
                            s,
                            VariableReads.rewrite(
                                    "SELECT @@rpl_semi_sync_master_timeout - 20000", ROWS, Dialect.MARIADB)))
                    .isInstanceOfSatisfying(
                            SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(1690));
            if (version == MariaDbVersion.V11_4_5) {
                assertThatThrownBy(() -> run(s, "SELECT @@rpl_semi_sync_master_timeout - 20000"))
                        .isInstanceOfSatisfying(
                                SQLException.class,
                                e -> assertThat(e.getErrorCode()).isEqualTo(1690));
            }
            // a multi-statement text: each statement rewritten
            try (Connection multi = java.sql.DriverManager.getConnection(
                            master.jdbcUrl("") + "?allowMultiQueries=true", EmbeddedMariaDb.ROOT_USER, "");
                    Statement ms = multi.createStatement()) {
                assertThat(ms.execute(VariableReads.rewrite(
                                "SET @x = 1; SELECT @@rpl_semi_sync_master_timeout;"
                                        + " SHOW GLOBAL STATUS LIKE 'rpl_semi_sync_master_status';",
                                ROWS,
                                Dialect.MARIADB)))
                        .isFalse();
                assertThat(ms.getMoreResults()).isTrue();
                try (ResultSet rs = ms.getResultSet()) {
                    assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("@@rpl_semi_sync_master_timeout");
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("1234");
                }
                assertThat(ms.getMoreResults()).isTrue();
                try (ResultSet rs = ms.getResultSet()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("Rpl_semi_sync_master_status");
                    assertThat(rs.getString(2)).isEqualTo("ON");
                    assertThat(rs.next()).isFalse();
                }
            }
            // in a WHERE
            assertThat(run(
                                    s,
                                    VariableReads.rewrite(
                                            "SELECT 1 AS x FROM DUAL WHERE @@rpl_semi_sync_master_timeout = 1234",
                                            ROWS,
                                            Dialect.MARIADB))
                            .rows())
                    .containsExactly(List.of("1"));
            // @@session. is left to the master: the names are global-only
            assertThat(VariableReads.rewrite("SELECT @@session.rpl_semi_sync_master_timeout", ROWS, Dialect.MARIADB))
                    .isNull();
            assertThatThrownBy(() -> run(s, "SELECT @@session.rpl_semi_sync_master_timeout"))
                    .isInstanceOfSatisfying(
                            SQLException.class,
                            e -> LOG.info(
                                    "{}: @@session. gives error {}: {}", version, e.getErrorCode(), e.getMessage()));
        }
    }

    /** 11.4.5 with its plugin on: the rewritten SHOW has the master's names and the proxy-only names. */
    @Test
    void sameNamesAsThePluginOn1145() throws Exception {
        try (EmbeddedMariaDb master = EmbeddedMariaDb.builder(MariaDbVersion.V11_4_5)
                        .name("plugin-on")
                        .serverId(1)
                        .option("rpl-semi-sync-master-enabled", "ON")
                        .option("performance-schema", "ON")
                        .build()
                        .start();
                Connection c = master.rootConnection();
                Statement s = c.createStatement()) {
            assertThat(run(s, "SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync_master_enabled'")
                            .byName())
                    .containsEntry("rpl_semi_sync_master_enabled", "ON");
            final Set<String> extras = new TreeSet<>();
            for (final String sql : List.of(
                    "SHOW GLOBAL VARIABLES LIKE '%semi%'",
                    "SHOW SESSION VARIABLES LIKE '%semi%'",
                    "SHOW GLOBAL STATUS LIKE '%semi%'",
                    "SHOW SESSION STATUS LIKE '%semi%'")) {
                final Set<String> plugin = run(s, sql).byName().keySet();
                final Set<String> mine = run(s, VariableReads.rewrite(sql, ROWS, Dialect.MARIADB))
                        .byName()
                        .keySet();
                assertThat(mine).as(sql).containsAll(plugin);
                final Set<String> extra = new TreeSet<>(mine);
                extra.removeAll(plugin);
                LOG.info("{}: the plugin's names {}, proxy-only extras {}", sql, plugin, extra);
                extras.addAll(extra);
            }
            assertThat(extras).isEqualTo(new TreeSet<>(PROXY_ONLY));
            // performance_schema on: its status tables have the plugin's rows in SHOW's letter case
            for (final String table : List.of("global_status", "session_status")) {
                final String sql = "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM performance_schema." + table
                        + " WHERE VARIABLE_NAME LIKE '%semi%'";
                final Result plugin = run(s, sql);
                final Result mine = run(s, VariableReads.rewrite(sql, ROWS, Dialect.MARIADB));
                LOG.info("{}: the plugin's rows {}, rewritten {}", sql, plugin.rows(), mine.rows());
                assertThat(mine.labels()).isEqualTo(plugin.labels());
                assertThat(mine.byName()).containsAllEntriesOf(ROWS.status());
                final Set<String> extra = new TreeSet<>(mine.byName().keySet());
                extra.removeAll(plugin.byName().keySet());
                assertThat(extra).containsExactly("Rpl_semi_sync_master_position_probes");
            }
        }
    }

    private static Map<String, String> upperCase(final Map<String, String> rows) {
        final Map<String, String> m = new LinkedHashMap<>();
        rows.forEach((k, v) -> m.put(k.toUpperCase(Locale.ROOT), v));
        return m;
    }

    private static Result run(final Statement s, final String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            final ResultSetMetaData md = rs.getMetaData();
            final List<String> labels = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                labels.add(md.getColumnLabel(i));
            }
            final List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                final List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return new Result(labels, rows);
        }
    }
}
