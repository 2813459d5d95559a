package org.semisync.proxy.admin;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A COM_QUERY the proxy answers (alone or merged with the master's answer) because it touches the semi-sync plugin's
 * names. {@link #recognise} returns empty for everything else, which then goes to the master untouched.
 */
public sealed interface AdminStatement {
    /**
     * {@code SHOW [GLOBAL|SESSION] VARIABLES|STATUS [LIKE 'p' | WHERE Variable_name LIKE|= 'p']}, or the same read
     * from {@code information_schema.GLOBAL_VARIABLES|GLOBAL_STATUS}: the master's rows merged with the proxy's.
     *
     * @param columns the result's column names (SHOW and information_schema name them differently)
     */
    record Show(boolean status, LikePattern like, String masterQuery, List<String> columns) implements AdminStatement {}

    /** {@code SELECT @@[global.]rpl_semi_sync_master_x [, ...]}: answered by the proxy alone. */
    record SelectVariables(List<String> expressions, List<String> names) implements AdminStatement {}

    /** {@code SET [GLOBAL|@@global.] rpl_semi_sync_master_x = value}: needs SUPER on the master. */
    record SetVariable(String name, String value) implements AdminStatement {}

    /** A quoted pattern after LIKE or =, group "p". */
    String QUOTED = "'(?<p>(?:[^'\\\\]|\\\\.|'')*)'";

    Pattern SHOW = Pattern.compile(
            "\\s*SHOW\\s+(?:GLOBAL\\s+|SESSION\\s+)?(VARIABLES|STATUS)"
                    + "(?:\\s+LIKE\\s+" + QUOTED + "|\\s+WHERE\\s+`?Variable_name`?\\s*(?<op>LIKE|=)\\s*"
                    + QUOTED.replace("<p>", "<w>")
                    + ")?\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    Pattern INFORMATION_SCHEMA = Pattern.compile(
            "\\s*SELECT\\s+(?:\\*|VARIABLE_NAME\\s*,\\s*VARIABLE_VALUE)\\s+FROM\\s+information_schema\\.GLOBAL_(VARIABLES|STATUS)"
                    + "(?:\\s+WHERE\\s+VARIABLE_NAME\\s*(?<op>LIKE|=)\\s*" + QUOTED + ")?\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    Pattern SELECT_VARS = Pattern.compile(
            "\\s*SELECT\\s+(@@[\\w.]+(?:\\s*,\\s*@@[\\w.]+)*)\\s*;?\\s*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    Pattern SET_VAR = Pattern.compile(
            "\\s*SET\\s+(?:GLOBAL\\s+|@@GLOBAL\\.)(rpl_semi_sync_master_\\w+)\\s*=\\s*('[^']*'|[\\w.]+)\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /** The admin statement {@code sql} is, if any. */
    static Optional<AdminStatement> recognise(final String sql) {
        Matcher m = SHOW.matcher(sql);
        if (m.matches()) {
            final String text = m.group("p") != null ? m.group("p") : m.group("w");
            return Optional.of(new Show(
                    m.group(1).equalsIgnoreCase("STATUS"),
                    pattern(text, m.group("op")),
                    sql,
                    VariableRows.SHOW_COLUMNS));
        }
        m = INFORMATION_SCHEMA.matcher(sql);
        if (m.matches()) {
            return Optional.of(new Show(
                    m.group(1).equalsIgnoreCase("STATUS"),
                    pattern(m.group("p"), m.group("op")),
                    sql,
                    List.of("VARIABLE_NAME", "VARIABLE_VALUE")));
        }
        m = SELECT_VARS.matcher(sql);
        if (m.matches()) {
            final List<String> expressions = List.of(m.group(1).split("\\s*,\\s*"));
            final List<String> names =
                    expressions.stream().map(AdminStatement::variableName).toList();
            if (names.stream().anyMatch(StatusRows::owns) && names.stream().allMatch(StatusRows::owns)) {
                return Optional.of(new SelectVariables(expressions, names));
            }
            return Optional.empty();
        }
        m = SET_VAR.matcher(sql);
        if (m.matches()) {
            String value = m.group(2);
            if (value.startsWith("'")) {
                value = value.substring(1, value.length() - 1);
            }
            return Optional.of(new SetVariable(m.group(1).toLowerCase(Locale.ROOT), value));
        }
        return Optional.empty();
    }

    /** LIKE keeps wildcards; = matches the literal name (wildcards escaped). */
    private static LikePattern pattern(final String text, final String op) {
        if (text == null) {
            return LikePattern.any();
        }
        final String unquoted = text.replace("''", "'");
        if ("=".equals(op)) {
            return LikePattern.of(
                    unquoted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"));
        }
        return LikePattern.of(unquoted);
    }

    /** {@code @@global.x} / {@code @@session.x} / {@code @@x} → {@code x}. */
    private static String variableName(final String expression) {
        String name = expression.substring(2).toLowerCase(Locale.ROOT);
        for (final String scope : List.of("global.", "session.", "local.")) {
            if (name.startsWith(scope)) {
                name = name.substring(scope.length());
            }
        }
        return name;
    }
}
