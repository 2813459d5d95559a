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
    /** {@code SHOW [GLOBAL|SESSION] VARIABLES|STATUS [LIKE 'p']}: the master's rows merged with the proxy's. */
    record Show(boolean status, LikePattern like, String masterQuery) implements AdminStatement {}

    /** {@code SELECT @@[global.]rpl_semi_sync_master_x [, ...]}: answered by the proxy alone. */
    record SelectVariables(List<String> expressions, List<String> names) implements AdminStatement {}

    /** {@code SET [GLOBAL|@@global.] rpl_semi_sync_master_x = value}: needs SUPER on the master. */
    record SetVariable(String name, String value) implements AdminStatement {}

    Pattern SHOW = Pattern.compile(
            "\\s*SHOW\\s+(?:GLOBAL\\s+|SESSION\\s+)?(VARIABLES|STATUS)(?:\\s+LIKE\\s+'((?:[^'\\\\]|\\\\.|'')*)')?\\s*;?\\s*",
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
            final boolean status = m.group(1).equalsIgnoreCase("STATUS");
            final LikePattern like = m.group(2) == null
                    ? LikePattern.any()
                    : LikePattern.of(m.group(2).replace("''", "'"));
            return Optional.of(new Show(status, like, sql));
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
