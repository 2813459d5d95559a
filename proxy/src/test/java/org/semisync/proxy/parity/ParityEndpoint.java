package org.semisync.proxy.parity;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.semisync.proxy.demo.EmbeddedMariaDb;

/**
 * One side of the differential suite: a master, two 11.4.5 semi-sync replicas, and the endpoint clients and admin
 * statements go to (the master itself for the native plugin, the proxy for the proxy). Started once per test class,
 * brought back to the baseline before every scenario by {@link ScenarioRun#baseline}.
 */
interface ParityEndpoint extends AutoCloseable {
    /** {@code plugin} or {@code proxy} (or {@code relay}): the column name in the report. */
    String name();

    /** The port clients and replicas use (the master's for the plugin, the proxy's otherwise). */
    int port();

    EmbeddedMariaDb master();

    /** The two replicas, replica 1 (server_id 2) first. */
    List<EmbeddedMariaDb> replicas();

    /**
     * Names of rows only this endpoint shows, documented as extras (the proxy's own variables and counters). They are
     * dropped from this endpoint's rows before comparing; nothing else is.
     */
    Set<String> extraNames();

    /**
     * Called by the baseline after the master was restarted by a scenario: whatever the endpoint needs so that the
     * replicas can come back (nothing for the plugin). Not an observation.
     */
    void afterMasterRestart();

    /**
     * Called by the baseline after it sent the baseline SETs through the endpoint: side B resets its master's own
     * semi-sync variables (plugin off, defaults) directly on the master. Nothing for the plugin side.
     */
    default void afterBaselineSets() {}

    /**
     * Called after each scenario. Side B's master must keep its built-in plugin off throughout (otherwise the master,
     * not the proxy, would be doing semi-sync): if a statement reached it and switched the plugin on, this records
     * that as an observation only side B has, so the scenario fails.
     */
    default void afterScenario(final Observations observations) {}

    /**
     * How long the baseline waits for both replicas to show as semi-sync clients. Only the plain relay (control run)
     * shortens it: with the master's plugin off nothing ever counts them, and every scenario would wait in vain.
     */
    default long baselineWaitMillis() {
        return 20_000;
    }

    /** A MariaDB Connector/J connection to the endpoint, database {@code app}, as {@code app}. */
    default Connection mariadb() throws SQLException {
        return mariadb(EmbeddedMariaDb.APP_USER, EmbeddedMariaDb.APP_PASSWORD);
    }

    /** A MariaDB Connector/J connection to the endpoint, database {@code app}, as {@code user}. */
    default Connection mariadb(final String user, final String password) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port() + "/app", user, password);
    }

    /** A MySQL Connector/J connection (no session tracking, so position probes on the proxy), as {@code app}. */
    default Connection mysql() throws SQLException {
        return DriverManager.getConnection(
                "jdbc:mysql://127.0.0.1:" + port() + "/app?sslMode=DISABLED",
                EmbeddedMariaDb.APP_USER,
                EmbeddedMariaDb.APP_PASSWORD);
    }

    @Override
    void close();
}
