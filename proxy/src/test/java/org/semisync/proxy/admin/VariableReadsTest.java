package org.semisync.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.semisync.proxy.admin.VariableReads.Dialect;

class VariableReadsTest {
    private static final ProxyRows ROWS = new ProxyRows(
            ordered(
                    "rpl_semi_sync_master_enabled",
                    "ON",
                    "rpl_semi_sync_master_timeout",
                    "2000",
                    "rpl_semi_sync_master_wait_point",
                    "AFTER_COMMIT"),
            ordered("Rpl_semi_sync_master_clients", "2", "Rpl_semi_sync_master_status", "ON"));

    private static final String VARIABLE_ROWS = " WHERE VARIABLE_NAME NOT IN ('rpl_semi_sync_master_enabled',"
            + " 'rpl_semi_sync_master_timeout', 'rpl_semi_sync_master_wait_point')"
            + " UNION ALL SELECT %s, 'ON' UNION ALL SELECT %s, '2000' UNION ALL SELECT %s, 'AFTER_COMMIT'";

    private static Map<String, String> ordered(final String... kv) {
        final Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String rewrite(final String sql) {
        return VariableReads.rewrite(sql, ROWS, Dialect.MARIADB);
    }

    private static String variableRows(final boolean upperCase) {
        final String[] n = {
            "rpl_semi_sync_master_enabled", "rpl_semi_sync_master_timeout", "rpl_semi_sync_master_wait_point"
        };
        return String.format(
                VARIABLE_ROWS,
                "'" + (upperCase ? n[0].toUpperCase() : n[0]) + "'",
                "'" + (upperCase ? n[1].toUpperCase() : n[1]) + "'",
                "'" + (upperCase ? n[2].toUpperCase() : n[2]) + "'");
    }

    private static String showVariables(final String table, final String filter) {
        return "SELECT Variable_name, Value FROM (SELECT LOWER(VARIABLE_NAME) AS Variable_name, VARIABLE_VALUE AS"
                + " Value FROM information_schema." + table + variableRows(false) + ") AS semisync_show" + filter
                + " ORDER BY CAST(LOWER(Variable_name) AS BINARY)";
    }

    @Test
    void dialectFromGreeting() {
        assertThat(Dialect.forServerVersion("5.5.5-10.2.11-MariaDB-log")).isEqualTo(Dialect.MARIADB);
        assertThat(Dialect.forServerVersion("11.4.5-MariaDB-log")).isEqualTo(Dialect.MARIADB);
        assertThat(Dialect.forServerVersion("5.6.51-log")).isEqualTo(Dialect.MYSQL_56);
        assertThat(Dialect.forServerVersion("5.7.44")).isEqualTo(Dialect.MYSQL_57_PLUS);
        assertThat(Dialect.forServerVersion("8.0.36")).isEqualTo(Dialect.MYSQL_57_PLUS);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT 1",
                "INSERT INTO t VALUES ('semi')",
                "SELECT * FROM orders WHERE status = 'open'",
                "SELECT 'rpl_semi_sync_master_timeout', \"@@rpl_semi_sync_master_timeout\"",
                "SELECT `@@rpl_semi_sync_master_timeout` FROM t",
                "SELECT 1 /* @@rpl_semi_sync_master_timeout */ -- @@rpl_semi_sync_master_enabled\n",
                "SHOW VARIABLES LIKE 'version'",
                "SHOW STATUS LIKE 'Com_select'",
                "SHOW SLAVE STATUS",
                "SHOW MASTER STATUS",
                "SHOW TABLE STATUS LIKE 'semi'",
                "SHOW ENGINE INNODB STATUS",
                "SET GLOBAL rpl_semi_sync_master_timeout = 5",
                "SET @t = @@rpl_semi_sync_master_timeout",
                "SELECT @@session.rpl_semi_sync_master_timeout",
                "SELECT @@local.rpl_semi_sync_master_timeout",
                "SELECT @@rpl_semi_sync_slave_enabled",
                "SELECT @@rpl_semi_sync_master_no_such",
                "INSERT INTO t SELECT @@rpl_semi_sync_master_timeout",
                "SELECT * FROM GLOBAL_VARIABLES",
                "SELECT * FROM information_schema.TABLES WHERE TABLE_NAME = 'GLOBAL_STATUS'",
                "/*!40101 SELECT @@rpl_semi_sync_master_timeout */",
                "CREATE VIEW v AS SELECT * FROM information_schema.GLOBAL_VARIABLES",
                "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT @@rpl_semi_sync_master_timeout; END",
                "BEGIN NOT ATOMIC SELECT @@rpl_semi_sync_master_timeout; END",
                "l: LOOP SELECT @@rpl_semi_sync_master_timeout; END LOOP",
                "SELECT information_schema.GLOBAL_VARIABLES.VARIABLE_NAME FROM t"
            })
    void leavesOtherQueriesAlone(final String sql) {
        assertThat(rewrite(sql)).isNull();
    }

    @Test
    void fastRejectByBytes() {
        assertThat(VariableReads.mayRead(Unpooled.wrappedBuffer("\3SELECT 1".getBytes(StandardCharsets.UTF_8))))
                .isFalse();
        assertThat(VariableReads.mayRead(Unpooled.wrappedBuffer("\3show Variables".getBytes(StandardCharsets.UTF_8))))
                .isTrue();
        assertThat(VariableReads.mayRead(Unpooled.wrappedBuffer(
                        "\3SELECT @@RPL_SEMI_SYNC_MASTER_TIMEOUT".getBytes(StandardCharsets.UTF_8))))
                .isTrue();
        assertThat(VariableReads.mayRead("select * from x.GLOBAL_STATUS")).isTrue();
        for (final String q : new String[] {
            "show VARIABLES", "Status SHOW", "sEmI", "xxsemi", "x.GLOBAL_VARIABLES", "`session_status`", "sshow status"
        }) {
            assertThat(VariableReads.mayRead(q)).as(q).isTrue();
        }
        for (final String q : new String[] {
            "SELECT status FROM t WHERE status = 1",
            "variables",
            "svsvsvstatu",
            "show variable",
            "sem",
            "sho status",
            ""
        }) {
            assertThat(VariableReads.mayRead(q)).as(q).isFalse();
        }
    }

    @Test
    void showVariablesEveryForm() {
        assertThat(rewrite("SHOW GLOBAL VARIABLES LIKE 'rpl_semi%'"))
                .isEqualTo(showVariables("GLOBAL_VARIABLES", " WHERE Variable_name LIKE 'rpl_semi%'"));
        assertThat(rewrite("show variables like '%SEMI%';"))
                .isEqualTo(showVariables("SESSION_VARIABLES", " WHERE Variable_name LIKE '%SEMI%'") + ";");
        assertThat(rewrite("  SHOW LOCAL VARIABLES  ")).isEqualTo("  " + showVariables("SESSION_VARIABLES", "") + "  ");
        assertThat(rewrite("SHOW SESSION VARIABLES")).isEqualTo(showVariables("SESSION_VARIABLES", ""));
        assertThat(rewrite("Show Global Variables Where Variable_name IN ('version', 'rpl_semi_sync_master_timeout')"))
                .isEqualTo(showVariables(
                        "GLOBAL_VARIABLES", " WHERE Variable_name IN ('version', 'rpl_semi_sync_master_timeout')"));
        assertThat(rewrite("SHOW /* c */ GLOBAL VARIABLES LIKE 'rpl\\_semi\\_sync\\_master\\_timeout'"))
                .contains("WHERE Variable_name LIKE 'rpl\\_semi\\_sync\\_master\\_timeout' ORDER BY");
    }

    @Test
    void showStatusNamesInShowCase() {
        assertThat(rewrite("SHOW GLOBAL STATUS LIKE 'Rpl_semi%'"))
                .isEqualTo("SELECT Variable_name, Value FROM (SELECT IF(LOWER(VARIABLE_NAME) LIKE 'wsrep%',"
                        + " LOWER(VARIABLE_NAME), CONCAT(UPPER(LEFT(VARIABLE_NAME, 1)), LOWER(SUBSTRING(VARIABLE_NAME,"
                        + " 2)))) AS Variable_name, VARIABLE_VALUE AS Value FROM information_schema.GLOBAL_STATUS WHERE"
                        + " VARIABLE_NAME NOT IN ('Rpl_semi_sync_master_clients', 'Rpl_semi_sync_master_status')"
                        + " UNION ALL SELECT 'Rpl_semi_sync_master_clients', '2' UNION ALL SELECT"
                        + " 'Rpl_semi_sync_master_status', 'ON') AS semisync_show WHERE Variable_name LIKE"
                        + " 'Rpl_semi%' ORDER BY CAST(LOWER(Variable_name) AS BINARY)");
        assertThat(rewrite("SHOW STATUS WHERE Value > 0")).contains("FROM information_schema.SESSION_STATUS");
    }

    @Test
    void showOnMySql57UsesPerformanceSchema() {
        assertThat(VariableReads.rewrite("SHOW GLOBAL VARIABLES", ROWS, Dialect.MYSQL_57_PLUS))
                .isEqualTo("SELECT Variable_name, Value FROM (SELECT VARIABLE_NAME AS Variable_name, VARIABLE_VALUE"
                        + " AS Value FROM performance_schema.global_variables" + variableRows(false)
                        + ") AS semisync_show ORDER BY CAST(LOWER(Variable_name) AS BINARY)");
        assertThat(VariableReads.rewrite("SHOW STATUS", ROWS, Dialect.MYSQL_56))
                .contains("FROM information_schema.SESSION_STATUS");
    }

    @Test
    void showWhereConditionIsRewrittenToo() {
        assertThat(rewrite("SHOW VARIABLES WHERE Value = @@rpl_semi_sync_master_timeout"))
                .contains("AS semisync_show WHERE Value = CAST(2000 AS UNSIGNED) ORDER BY");
    }

    @Test
    void showWhereWithATable() {
        assertThat(rewrite(
                        "SHOW VARIABLES WHERE Variable_name IN (SELECT information_schema.GLOBAL_STATUS.VARIABLE_NAME"
                                + " FROM information_schema.GLOBAL_STATUS)"))
                .contains("WHERE Variable_name IN (SELECT GLOBAL_STATUS.VARIABLE_NAME FROM (SELECT VARIABLE_NAME,"
                        + " VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE")
                .endsWith("AS GLOBAL_STATUS) ORDER BY CAST(LOWER(Variable_name) AS BINARY)");
    }

    @Test
    void tables() {
        final String derived = "(SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES"
                + variableRows(true) + ")";
        assertThat(rewrite("SELECT * FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME LIKE '%semi%'"))
                .isEqualTo("SELECT * FROM " + derived + " AS GLOBAL_VARIABLES WHERE VARIABLE_NAME LIKE '%semi%'");
        assertThat(rewrite("select g.variable_value from information_schema.GLOBAL_VARIABLES g"))
                .isEqualTo("select g.variable_value from " + derived + " g");
        assertThat(rewrite("select 1 from information_schema.GLOBAL_VARIABLES AS `g`"))
                .isEqualTo("select 1 from " + derived + " AS `g`");
        assertThat(rewrite("SELECT * FROM `information_schema`.`global_variables`"))
                .isEqualTo("SELECT * FROM (SELECT VARIABLE_NAME, VARIABLE_VALUE FROM"
                        + " `information_schema`.`global_variables`" + variableRows(true) + ") AS `global_variables`");
        assertThat(rewrite("SELECT * FROM performance_schema.global_status JOIN information_schema.SESSION_STATUS s"
                        + " USING (VARIABLE_NAME)"))
                .isEqualTo("SELECT * FROM (SELECT VARIABLE_NAME, VARIABLE_VALUE FROM performance_schema.global_status"
                        + " WHERE VARIABLE_NAME NOT IN ('Rpl_semi_sync_master_clients', 'Rpl_semi_sync_master_status')"
                        + " UNION ALL SELECT 'Rpl_semi_sync_master_clients', '2' FROM DUAL WHERE @@performance_schema"
                        + " UNION ALL SELECT 'Rpl_semi_sync_master_status', 'ON' FROM DUAL WHERE @@performance_schema)"
                        + " AS global_status JOIN (SELECT VARIABLE_NAME,"
                        + " VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME NOT IN"
                        + " ('Rpl_semi_sync_master_clients', 'Rpl_semi_sync_master_status') UNION ALL SELECT"
                        + " 'RPL_SEMI_SYNC_MASTER_CLIENTS', '2' UNION ALL SELECT 'RPL_SEMI_SYNC_MASTER_STATUS', 'ON')"
                        + " s USING (VARIABLE_NAME)");
    }

    @Test
    void performanceSchemaOnMySqlHasTheProxysRowsUnguarded() {
        assertThat(VariableReads.rewrite(
                        "SELECT * FROM performance_schema.global_variables", ROWS, Dialect.MYSQL_57_PLUS))
                .isEqualTo(
                        "SELECT * FROM (SELECT VARIABLE_NAME, VARIABLE_VALUE FROM performance_schema.global_variables"
                                + variableRows(false) + ") AS global_variables");
    }

    @Test
    void threePartColumnNamesFollowTheTable() {
        assertThat(rewrite("SELECT information_schema.GLOBAL_VARIABLES.VARIABLE_VALUE FROM"
                        + " information_schema.GLOBAL_VARIABLES WHERE information_schema . GLOBAL_VARIABLES.VARIABLE_NAME"
                        + " = 'x'"))
                .isEqualTo("SELECT GLOBAL_VARIABLES.VARIABLE_VALUE FROM (SELECT VARIABLE_NAME, VARIABLE_VALUE FROM"
                        + " information_schema.GLOBAL_VARIABLES" + variableRows(true) + ") AS GLOBAL_VARIABLES"
                        + " WHERE GLOBAL_VARIABLES.VARIABLE_NAME = 'x'");
    }

    @Test
    void tableInASelectListSubqueryKeepsTheLabel() {
        assertThat(rewrite("SELECT (SELECT COUNT(*) FROM information_schema.GLOBAL_VARIABLES)"))
                .startsWith("SELECT (SELECT COUNT(*) FROM (SELECT VARIABLE_NAME")
                .endsWith(" AS GLOBAL_VARIABLES) AS `(SELECT COUNT(*) FROM information_schema.GLOBAL_VARIABLES)`");
    }

    @Test
    void systemVariables() {
        assertThat(rewrite("SELECT @@rpl_semi_sync_master_timeout"))
                .isEqualTo("SELECT CAST(2000 AS UNSIGNED) AS `@@rpl_semi_sync_master_timeout`");
        assertThat(rewrite("select @@GLOBAL.Rpl_Semi_Sync_Master_Enabled;"))
                .isEqualTo("select 1 AS `@@GLOBAL.Rpl_Semi_Sync_Master_Enabled`;");
        assertThat(rewrite("SELECT @@version, @@rpl_semi_sync_master_wait_point, @@rpl_semi_sync_slave_enabled"))
                .isEqualTo("SELECT @@version, 'AFTER_COMMIT' AS `@@rpl_semi_sync_master_wait_point`,"
                        + " @@rpl_semi_sync_slave_enabled");
    }

    @Test
    void aliasesAreKept() {
        assertThat(rewrite("SELECT @@rpl_semi_sync_master_timeout AS t, @@rpl_semi_sync_master_enabled e"))
                .isEqualTo("SELECT CAST(2000 AS UNSIGNED) AS t, 1 e");
        assertThat(rewrite("SELECT @@rpl_semi_sync_master_timeout `t`, @@rpl_semi_sync_master_enabled 'e'"))
                .isEqualTo("SELECT CAST(2000 AS UNSIGNED) `t`, 1 'e'");
    }

    @Test
    void expressionsGetTheirOriginalTextAsLabel() {
        assertThat(rewrite("SELECT @@rpl_semi_sync_master_timeout  /  1000 /* s */ , x FROM t"))
                .isEqualTo(
                        "SELECT CAST(2000 AS UNSIGNED)  /  1000 AS `@@rpl_semi_sync_master_timeout  /  1000` /* s */ , x FROM t");
        assertThat(rewrite("SELECT (@@rpl_semi_sync_master_timeout), @@rpl_semi_sync_master_enabled IS TRUE"))
                .isEqualTo("SELECT (CAST(2000 AS UNSIGNED)) AS `(@@rpl_semi_sync_master_timeout)`, 1 IS TRUE AS"
                        + " `@@rpl_semi_sync_master_enabled IS TRUE`");
        assertThat(rewrite("SELECT IF(@@rpl_semi_sync_master_enabled, 'on', 'off')"))
                .isEqualTo("SELECT IF(1, 'on', 'off') AS `IF(@@rpl_semi_sync_master_enabled, 'on', 'off')`");
        assertThat(rewrite("SELECT DISTINCT CONCAT('`', @@rpl_semi_sync_master_timeout)"))
                .isEqualTo(
                        "SELECT DISTINCT CONCAT('`', CAST(2000 AS UNSIGNED)) AS `CONCAT('``', @@rpl_semi_sync_master_timeout)`");
    }

    @Test
    void variablesOutsideTheSelectList() {
        assertThat(rewrite("SELECT a FROM t WHERE b < @@rpl_semi_sync_master_timeout ORDER BY a"))
                .isEqualTo("SELECT a FROM t WHERE b < CAST(2000 AS UNSIGNED) ORDER BY a");
        assertThat(rewrite("SELECT * FROM (SELECT @@rpl_semi_sync_master_timeout) d"))
                .isEqualTo("SELECT * FROM (SELECT CAST(2000 AS UNSIGNED) AS `@@rpl_semi_sync_master_timeout`) d");
        assertThat(rewrite("WITH c AS (SELECT @@rpl_semi_sync_master_timeout t) SELECT t FROM c"))
                .isEqualTo("WITH c AS (SELECT CAST(2000 AS UNSIGNED) t) SELECT t FROM c");
        assertThat(rewrite("(SELECT @@rpl_semi_sync_master_timeout) UNION (SELECT 1)"))
                .isEqualTo("(SELECT CAST(2000 AS UNSIGNED) AS `@@rpl_semi_sync_master_timeout`) UNION (SELECT 1)");
    }

    @Test
    void multiStatementTextsRewriteEachStatement() {
        assertThat(rewrite("SET @a = @@rpl_semi_sync_master_timeout; SELECT @@rpl_semi_sync_master_timeout;"
                        + " SHOW VARIABLES LIKE 'version'; SELECT 'x;@@rpl_semi_sync_master_timeout'"))
                .isEqualTo(
                        "SET @a = @@rpl_semi_sync_master_timeout; SELECT CAST(2000 AS UNSIGNED) AS `@@rpl_semi_sync_master_timeout`;"
                                + " SHOW VARIABLES LIKE 'version'; SELECT 'x;@@rpl_semi_sync_master_timeout'");
    }

    @Test
    void neverThrowsOnFragments() {
        final String[] parts = {
            "SELECT",
            "SHOW",
            "GLOBAL",
            "VARIABLES",
            "STATUS",
            "LIKE",
            "WHERE",
            "FROM",
            "AS",
            "t",
            "(",
            ")",
            ",",
            ";",
            ".",
            "'",
            "'x'",
            "`",
            "`a`",
            "\"",
            "/*",
            "*/",
            "/*!",
            "-- ",
            "\n",
            "#",
            "@@",
            "@@global.",
            "@@rpl_semi_sync_master_timeout",
            "@@session.rpl_semi_sync_master_enabled",
            "information_schema",
            "GLOBAL_STATUS",
            "performance_schema",
            "session_variables",
            "WITH",
            "UNION",
            "DISTINCT",
            "1",
            "+",
            " "
        };
        final java.util.Random random = new java.util.Random(42);
        for (int n = 0; n < 20_000; n++) {
            final StringBuilder sql = new StringBuilder();
            for (int k = random.nextInt(12); k >= 0; k--) {
                sql.append(parts[random.nextInt(parts.length)]).append(random.nextBoolean() ? " " : "");
            }
            for (final Dialect d : Dialect.values()) {
                try {
                    VariableReads.rewrite(sql.toString(), ROWS, d);
                } catch (RuntimeException e) {
                    throw new AssertionError(d + ": " + sql, e);
                }
            }
        }
    }

    @Test
    void bytesOfAnyAsciiCompatibleCharsetComeBackUnchanged() {
        final String sql = "SELECT CONCAT('é€', @@rpl_semi_sync_master_timeout), `ü` FROM `tä` WHERE c = 'ß'";
        for (final java.nio.charset.Charset cs :
                java.util.List.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1)) {
            final byte[] out = VariableReads.rewrite(sql.getBytes(cs), ROWS, Dialect.MARIADB);
            assertThat(new String(out, cs))
                    .isEqualTo(new String(sql.getBytes(cs), cs)
                            .replace(
                                    "@@rpl_semi_sync_master_timeout)",
                                    "CAST(2000 AS UNSIGNED)) AS `CONCAT('" + new String("é€".getBytes(cs), cs)
                                            + "', @@rpl_semi_sync_master_timeout)`"));
        }
        assertThat(VariableReads.rewrite("SELECT 'é'".getBytes(StandardCharsets.UTF_8), ROWS, Dialect.MARIADB))
                .isNull();
    }

    @Test
    void stringValuesAreQuoted() {
        final ProxyRows odd = new ProxyRows(Map.of("rpl_semi_sync_master_wait_point", "it's"), Map.of());
        assertThat(VariableReads.rewrite("SELECT @@rpl_semi_sync_master_wait_point x", odd, Dialect.MARIADB))
                .isEqualTo("SELECT 'it''s' x");
    }
}
