package org.semisync.proxy.commit;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the proxy sees that a client's statement committed a transaction on a given master: from the GTID the master
 * reports in the OK (session tracking) or by probing the binlog position after statements that may have written.
 */
public enum DetectionMode {
    /**
     * MariaDB ≥ 10.2.16 / 10.3.8: {@code last_gtid} in session_track_system_variables. Earlier 10.2 releases accept
     * the variable in the list but never report it (seen on 10.2.11; MaxScale's causal reads need 10.2.16 too).
     */
    MARIADB_TRACKING,
    /** MySQL ≥ 5.7: session_track_gtids = OWN_GTID. */
    MYSQL_TRACKING,
    /** Older masters (MariaDB 10.1, MySQL 5.6): SHOW MASTER STATUS after each possibly-writing statement. */
    POSITION_PROBE;

    /** The MariaDB version inside a version string, skipping MySQL's "5.5.5-" compatibility prefix. */
    private static final Pattern MARIADB_VERSION = Pattern.compile("(?:^|-)(\\d+)\\.(\\d+)\\.(\\d+)-MariaDB");

    /** The mode for a master of {@code version} offering the given tracking variables. */
    public static DetectionMode from(final String version, final boolean systemVariables, final boolean gtids) {
        final DetectionMode byVersion = forServerVersion(version);
        final boolean offered = switch (byVersion) {
            case MARIADB_TRACKING -> systemVariables;
            case MYSQL_TRACKING -> gtids;
            case POSITION_PROBE -> true;
        };
        return offered ? byVersion : POSITION_PROBE;
    }

    /** The mode for a master that greets with {@code version}, assuming it has the usual tracking variables. */
    public static DetectionMode forServerVersion(final String version) {
        if (version.toLowerCase(Locale.ROOT).contains("mariadb")) {
            return reportsLastGtid(version) ? MARIADB_TRACKING : POSITION_PROBE;
        }
        final Matcher m = MYSQL_VERSION.matcher(version);
        if (!m.find()) {
            return POSITION_PROBE;
        }
        final int major = Integer.parseInt(m.group(1));
        final int minor = Integer.parseInt(m.group(2));
        return major > 5 || (major == 5 && minor >= 7) ? MYSQL_TRACKING : POSITION_PROBE;
    }

    private static final Pattern MYSQL_VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    /** Whether a MariaDB of {@code version} ("10.2.16-MariaDB-log", "5.5.5-10.3.8-MariaDB") reports last_gtid. */
    static boolean reportsLastGtid(final String version) {
        final Matcher m = MARIADB_VERSION.matcher(version);
        if (!m.find()) {
            return false;
        }
        final int major = Integer.parseInt(m.group(1));
        final int minor = Integer.parseInt(m.group(2));
        final int patch = Integer.parseInt(m.group(3));
        if (major != 10) {
            return major > 10;
        }
        return switch (minor) {
            case 0, 1 -> false;
            case 2 -> patch >= 16;
            case 3 -> patch >= 8;
            default -> true;
        };
    }

    /** How the mode shows in logs and SHOW STATUS. */
    public String description() {
        return switch (this) {
            case MARIADB_TRACKING ->
                "gtid_tracking (MariaDB last_gtid in OK packets; position probes for clients"
                        + " without session tracking)";
            case MYSQL_TRACKING ->
                "gtid_tracking (MySQL session_track_gtids=OWN_GTID; position probes for clients"
                        + " without session tracking)";
            case POSITION_PROBE -> "position_probe (SHOW MASTER STATUS after each possibly-writing statement)";
        };
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
