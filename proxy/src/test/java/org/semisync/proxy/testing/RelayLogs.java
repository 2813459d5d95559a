package org.semisync.proxy.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.Replicas;

/** What a replica holds after its master died: for the loss audits. */
public final class RelayLogs {
    private RelayLogs() {}

    /**
     * Waits until the replica's SQL thread has applied everything its IO thread received. The master may die in the
     * middle of sending a transaction: the relay log then ends with a part of one that can never be applied (and was
     * never acknowledged), so an idle SQL thread with the IO thread cut off also counts as done.
     */
    public static void awaitApplied(final EmbeddedMariaDb replica) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String executedBefore = null;
        while (System.nanoTime() < deadline) {
            final Map<Object, String> st = Replicas.status(replica);
            final String executed = st.get("Exec_Master_Log_Pos");
            if (st.get("Master_Log_File") != null
                    && st.get("Master_Log_File").equals(st.get("Relay_Master_Log_File"))
                    && st.get("Read_Master_Log_Pos").equals(executed)) {
                return;
            }
            final boolean idleWithoutMaster = !"Yes".equals(st.get("Slave_IO_Running"))
                    && st.getOrDefault("Slave_SQL_Running_State", "").startsWith("Slave has read all relay log")
                    && executed != null
                    && executed.equals(executedBefore);
            if (idleWithoutMaster) {
                return;
            }
            executedBefore = executed;
            Thread.sleep(50);
        }
        throw new AssertionError(replica.name() + " did not apply its relay log: " + Replicas.status(replica));
    }

    /** The integer ids in {@code table} on {@code replica}. */
    public static Set<Integer> ids(final EmbeddedMariaDb replica, final String table) throws SQLException {
        final Set<Integer> ids = new HashSet<>();
        try (Connection c = replica.rootConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM " + table)) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }
}
