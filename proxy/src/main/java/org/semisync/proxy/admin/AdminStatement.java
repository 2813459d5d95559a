package org.semisync.proxy.admin;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A COM_QUERY about the semi-sync plugin's master-side names, which the proxy answers itself because the proxy plays
 * the plugin. {@link #recognise} returns {@code null} for everything else, which goes to the master untouched.
 */
public sealed interface AdminStatement {
    /** {@code SHOW [GLOBAL|SESSION] VARIABLES|STATUS LIKE 'rpl_semi_sync…'}. */
    record Show(boolean status, LikePattern like) implements AdminStatement {}

    /** {@code SELECT @@[global.]rpl_semi_sync_master_x [, ...]}. */
    record SelectVariables(List<String> expressions, List<String> names) implements AdminStatement {}

    /** {@code SET GLOBAL rpl_semi_sync_master_x = value} (also {@code SET @@global.x = value}). */
    record SetVariable(String name, String value) implements AdminStatement {}

    /** Names the proxy owns: the plugin's master-side variables and status counters. */
    String PREFIX = "rpl_semi_sync_master_";

    Pattern SHOW = Pattern.compile(
            "\\s*SHOW\\s+(?:GLOBAL\\s+|SESSION\\s+)?(VARIABLES|STATUS)\\s+LIKE\\s+'((?:[^'\\\\]|\\\\.)*)'\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    Pattern SELECT_VARS = Pattern.compile(
            "\\s*SELECT\\s+(@@[\\w.]+(?:\\s*,\\s*@@[\\w.]+)*)\\s*;?\\s*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    Pattern SET_VAR = Pattern.compile(
            "\\s*SET\\s+(?:GLOBAL\\s+|@@GLOBAL\\.)(rpl_semi_sync_master_\\w+)\\s*=\\s*('[^']*'|[\\w.]+)\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /**
     * The admin statement {@code sql} is, or {@code null}. A SHOW is the proxy's when its LIKE pattern can only match
     * semi-sync names (the text before its first {@code %} starts with
     * {@code rpl_semi_sync}); then the master's own rows of those
     * names (a master with the plugin built in, like MariaDB 10.3+) are not shown.
     */
    static AdminStatement recognise(final String sql) {
        Matcher m = SHOW.matcher(sql);
        if (m.matches()) {
            final String pattern = m.group(2);
            if (!LikePattern.prefix(pattern).toLowerCase(Locale.ROOT).startsWith("rpl_semi_sync")) {
                return null;
            }
            return new Show(m.group(1).equalsIgnoreCase("STATUS"), LikePattern.of(pattern));
        }
        m = SELECT_VARS.matcher(sql);
        if (m.matches()) {
            final List<String> expressions = List.of(m.group(1).split("\\s*,\\s*"));
            final List<String> names =
                    expressions.stream().map(AdminStatement::variableName).toList();
            return names.stream().allMatch(n -> n.startsWith(PREFIX)) ? new SelectVariables(expressions, names) : null;
        }
        m = SET_VAR.matcher(sql);
        if (m.matches()) {
            String value = m.group(2);
            if (value.startsWith("'")) {
                value = value.substring(1, value.length() - 1);
            }
            return new SetVariable(m.group(1).toLowerCase(Locale.ROOT), value);
        }
        return null;
    }

    /** {@code @@global.x} / {@code @@session.x} / {@code @@x} → {@code x}. */
    private static String variableName(final String expression) {
        final String name = expression.substring(2).toLowerCase(Locale.ROOT);
        final int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }
}
