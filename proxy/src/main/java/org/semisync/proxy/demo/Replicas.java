package org.semisync.proxy.demo;

import java.time.Duration;
import java.util.Map;

/**
 * Replication set-up of an {@link EmbeddedMariaDb} replica (11.4.5): point it at a master or at the proxy, wait for
 * it, read its status. TLS is off on the link ({@code MASTER_SSL=0}): 11.4 replicas otherwise demand a verifiable
 * certificate.
 */
public final class Replicas {
    /** How the replica names its start position. */
    public enum Mode {
        /** {@code MASTER_USE_GTID=slave_pos}; the start is the replica's {@code gtid_slave_pos}. */
        GTID,
        /** {@code MASTER_LOG_FILE}/{@code MASTER_LOG_POS}. */
        FILE_POSITION
    }

    private Replicas() {}

    /**
     * Points {@code replica} at {@code host:port} with the replication account and starts it.
     *
     * @param start in GTID mode the GTID position to start after (null: keep the replica's own), in file/position
     *     mode {@code file:pos}
     */
    public static void pointAt(
            final EmbeddedMariaDb replica, final String host, final int port, final Mode mode, final String start) {
        replica.execute("STOP SLAVE");
        final StringBuilder change = new StringBuilder("CHANGE MASTER TO MASTER_HOST='")
                .append(host)
                .append("', MASTER_PORT=")
                .append(port)
                .append(", MASTER_USER='")
                .append(EmbeddedMariaDb.REPL_USER)
                .append("', MASTER_PASSWORD='")
                .append(EmbeddedMariaDb.REPL_PASSWORD)
                .append("', MASTER_CONNECT_RETRY=1, MASTER_SSL=0");
        if (mode == Mode.GTID) {
            if (start != null) {
                replica.execute("SET GLOBAL gtid_slave_pos='" + start + "'");
            }
            change.append(", MASTER_USE_GTID=slave_pos");
        } else {
            final int colon = start.lastIndexOf(':');
            change.append(", MASTER_USE_GTID=no, MASTER_LOG_FILE='")
                    .append(start, 0, colon)
                    .append("', MASTER_LOG_POS=")
                    .append(start.substring(colon + 1));
        }
        replica.execute(change.toString(), "START SLAVE");
    }

    /**
     * Waits until {@code replica} has applied everything {@code master} has binlogged so far.
     *
     * @throws IllegalStateException on timeout, with the replica's IO/SQL errors
     */
    public static void awaitCaughtUp(
            final EmbeddedMariaDb replica, final EmbeddedMariaDb master, final Duration timeout) {
        final String target = master.queryString("SELECT @@gtid_binlog_pos");
        final String reached =
                replica.queryString("SELECT MASTER_GTID_WAIT('" + target + "', " + timeout.toMillis() / 1000.0 + ")");
        if (!"0".equals(reached)) {
            final Map<Object, String> status = status(replica);
            throw new IllegalStateException(replica.name() + " did not reach " + target + " within " + timeout
                    + "; gtid_slave_pos=" + replica.queryString("SELECT @@gtid_slave_pos")
                    + ", IO=" + status.get("Slave_IO_Running") + " '" + status.get("Last_IO_Error")
                    + "', SQL=" + status.get("Slave_SQL_Running") + " '" + status.get("Last_SQL_Error") + "'");
        }
    }

    /** {@code SHOW SLAVE STATUS} as column name → value (empty when not a replica). */
    public static Map<Object, String> status(final EmbeddedMariaDb replica) {
        return replica.queryRow("SHOW SLAVE STATUS");
    }

    /** The replica's {@code Rpl_semi_sync_slave_status} (ON/OFF). */
    public static String semiSyncStatus(final EmbeddedMariaDb replica) {
        return replica.queryRow("SHOW STATUS LIKE 'Rpl_semi_sync_slave_status'").get(2);
    }
}
