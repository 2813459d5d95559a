package org.semisync.proxy.admin;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code SET GLOBAL rpl_semi_sync_master_x = value} (also {@code SET @@global.x = value}): the plugin's master-side
 * variables, which the proxy owns because it plays the plugin. Reads of them are rewritten for the master instead
 * ({@link VariableReads}).
 *
 * @param name the variable, lower case
 * @param value the value as written, without quotes
 */
public record AdminStatement(String name, String value) {
    /** Names the proxy owns: the plugin's master-side variables and status counters. */
    public static final String PREFIX = "rpl_semi_sync_master_";

    private static final Pattern SET_VAR = Pattern.compile(
            "\\s*SET\\s+(?:GLOBAL\\s+|@@GLOBAL\\.)(rpl_semi_sync_master_\\w+)\\s*=\\s*('[^']*'|[-+]?[\\w.]+)\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /** The SET of one of the proxy's variables {@code sql} is, or {@code null}. */
    public static AdminStatement recognise(final String sql) {
        final Matcher m = SET_VAR.matcher(sql);
        if (!m.matches()) {
            return null;
        }
        String value = m.group(2);
        if (value.startsWith("'")) {
            value = value.substring(1, value.length() - 1);
        }
        return new AdminStatement(m.group(1).toLowerCase(Locale.ROOT), value);
    }
}
