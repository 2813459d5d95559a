package org.semisync.proxy.admin;

import java.util.Locale;
import java.util.Map;

/**
 * The SQL that makes the master answer a read of the variables or status tables with the proxy's rows in place of its
 * own: the master's rows minus the proxy's names, UNION ALL the proxy's rows as constants.
 */
final class ProxyRowsSql {
    private ProxyRowsSql() {}

    /** SHOW [GLOBAL] VARIABLES|STATUS [filter] as a SELECT over the dialect's table, sorted as SHOW sorts. */
    static String show(
            final VariableReads.Dialect dialect,
            final boolean global,
            final boolean status,
            final Map<String, String> proxy,
            final String filter) {
        final String name;
        if (!dialect.informationSchema()) {
            name = "VARIABLE_NAME";
        } else if (status) {
            name = "IF(LOWER(VARIABLE_NAME) LIKE 'wsrep%', LOWER(VARIABLE_NAME),"
                    + " CONCAT(UPPER(LEFT(VARIABLE_NAME, 1)), LOWER(SUBSTRING(VARIABLE_NAME, 2))))";
        } else {
            name = "LOWER(VARIABLE_NAME)";
        }
        final StringBuilder q = new StringBuilder("SELECT Variable_name, Value FROM (SELECT ")
                .append(name)
                .append(" AS Variable_name, VARIABLE_VALUE AS Value FROM ")
                .append(table(dialect, global, status));
        masterRowsAndProxyRows(q, proxy, false, "");
        q.append(") AS semisync_show").append(filter).append(" ORDER BY CAST(LOWER(Variable_name) AS BINARY)");
        return q.toString();
    }

    /**
     * A derived table in place of {@code schemaTable} (as written, e.g. {@code information_schema.GLOBAL_STATUS}).
     *
     * @param alias the name the derived table gets, or null when the statement gives it one
     */
    static String table(
            final VariableReads.Dialect dialect,
            final String schemaTable,
            final boolean informationSchema,
            final Map<String, String> proxy,
            final String alias) {
        final StringBuilder q = new StringBuilder("(SELECT VARIABLE_NAME, VARIABLE_VALUE FROM ").append(schemaTable);
        // MariaDB's performance_schema is off by default, its tables then empty: the proxy's rows only when it is on
        masterRowsAndProxyRows(
                q,
                proxy,
                informationSchema,
                informationSchema || dialect != VariableReads.Dialect.MARIADB
                        ? ""
                        : " FROM DUAL WHERE @@performance_schema");
        q.append(')');
        if (alias != null) {
            q.append(" AS ").append(alias);
        }
        return q.toString();
    }

    /** A variable's value as an @@ read gives it: ON/OFF as 1/0, numbers unsigned, anything else quoted. */
    static String value(final String value) {
        if (value.equals("ON")) {
            return "1";
        }
        if (value.equals("OFF")) {
            return "0";
        }
        // the numeric variables are unsigned on the server: unsigned arithmetic, as with @@ (timeout - 20000 fails)
        return value.matches("\\d{1,18}") ? "CAST(" + value + " AS UNSIGNED)" : quote(value);
    }

    private static String table(final VariableReads.Dialect dialect, final boolean global, final boolean status) {
        final String scope = global ? "global" : "session";
        final String kind = status ? "status" : "variables";
        return dialect.informationSchema()
                ? "information_schema." + (scope + "_" + kind).toUpperCase(Locale.ROOT)
                : "performance_schema." + scope + "_" + kind;
    }

    /** " WHERE VARIABLE_NAME NOT IN (names) UNION ALL SELECT 'name', 'value' [guard] ..." */
    private static void masterRowsAndProxyRows(
            final StringBuilder q, final Map<String, String> proxy, final boolean upperCase, final String guard) {
        q.append(" WHERE VARIABLE_NAME NOT IN (");
        String sep = "";
        for (final String name : proxy.keySet()) {
            q.append(sep).append(quote(name));
            sep = ", ";
        }
        q.append(')');
        proxy.forEach((name, value) -> q.append(" UNION ALL SELECT ")
                .append(quote(upperCase ? name.toUpperCase(Locale.ROOT) : name))
                .append(", ")
                .append(quote(value))
                .append(guard));
    }

    private static String quote(final String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
