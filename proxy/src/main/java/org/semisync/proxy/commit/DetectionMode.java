package org.semisync.proxy.commit;

import java.util.List;
import java.util.Locale;

/**
 * How the proxy sees that a client's statement committed a transaction on a given master: from the GTID the master
 * reports in the OK (session tracking) or by probing the binlog position after statements that may have written.
 */
public enum DetectionMode {
    /** MariaDB ≥ 10.2: {@code last_gtid} in session_track_system_variables. */
    MARIADB_TRACKING,
    /** MySQL ≥ 5.7: session_track_gtids = OWN_GTID. */
    MYSQL_TRACKING,
    /** Older masters (MariaDB 10.1, MySQL 5.6): SHOW MASTER STATUS after each possibly-writing statement. */
    POSITION_PROBE;

    /** The mode for a master of {@code version} offering the given tracking variables. */
    public static DetectionMode from(final String version, final boolean systemVariables, final boolean gtids) {
        final boolean mariaDb = version.toLowerCase(Locale.ROOT).contains("mariadb");
        if (mariaDb && systemVariables) {
            return MARIADB_TRACKING;
        }
        if (!mariaDb && gtids) {
            return MYSQL_TRACKING;
        }
        return POSITION_PROBE;
    }

    /** Whether OKs carry the GTID (the backend needs CLIENT_SESSION_TRACK and the statements below). */
    public boolean tracking() {
        return this != POSITION_PROBE;
    }

    /**
     * Statements that make the master report the session's GTIDs, run after authentication, COM_CHANGE_USER,
     * COM_RESET_CONNECTION and any client SET of the tracking variables. MariaDB's list is extended, not replaced,
     * so whatever the client tracks stays tracked.
     */
    public List<String> trackingStatements() {
        return switch (this) {
            case MARIADB_TRACKING ->
                List.of("SET session_track_system_variables = IF("
                        + "FIND_IN_SET('last_gtid', @@session.session_track_system_variables) > 0, "
                        + "@@session.session_track_system_variables, "
                        + "CONCAT_WS(',', NULLIF(@@session.session_track_system_variables, ''), 'last_gtid'))");
            case MYSQL_TRACKING -> List.of("SET session_track_gtids = OWN_GTID");
            case POSITION_PROBE -> List.of();
        };
    }
}
