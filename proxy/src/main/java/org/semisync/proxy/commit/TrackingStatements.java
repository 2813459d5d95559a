package org.semisync.proxy.commit;

import java.util.Locale;

/**
 * Recognises client statements that change session tracking, after whose OK the proxy re-applies its own
 * ({@link DetectionMode#trackingStatements()}), and tells whether the client itself asked for the GTID entries (then
 * they are not cut from its OKs).
 */
public final class TrackingStatements {
    private TrackingStatements() {}

    /** Whether {@code sql} may change session_track_system_variables / session_track_gtids. */
    public static boolean changesTracking(final String sql) {
        final String lower = sql.toLowerCase(Locale.ROOT);
        return lower.contains("session_track_")
                && SqlText.split(sql).stream()
                        .anyMatch(s -> SqlText.firstWord(s).equals("SET")
                                || SqlText.firstWord(s).equals(SqlText.EXECUTABLE_COMMENT));
    }

    /**
     * Whether a client statement that {@link #changesTracking changes tracking} asks for the GTID itself: it names
     * last_gtid, OWN_GTID / ALL_GTIDS, or '*' (all variables).
     */
    public static boolean clientAsksForGtid(final String sql) {
        final String lower = sql.toLowerCase(Locale.ROOT);
        return lower.contains("last_gtid")
                || lower.contains("own_gtid")
                || lower.contains("all_gtids")
                || lower.matches("(?s).*session_track_system_variables\\s*=\\s*'\\*'.*");
    }
}
