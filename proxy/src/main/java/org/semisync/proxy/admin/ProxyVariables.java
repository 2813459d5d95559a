package org.semisync.proxy.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.SemiSyncStatus;
import org.semisync.ack.SemiSyncVariables;

/**
 * The proxy's answers under the plugin's names: {@code rpl_semi_sync_master_*} variables from the settings in force
 * and {@code Rpl_semi_sync_master_*} status counters from a tracker snapshot, in the server's (alphabetical) order.
 */
public final class ProxyVariables {
    private ProxyVariables() {}

    /** Variable name → value, as SHOW VARIABLES shows them. */
    public static Map<String, String> variables(final SemiSyncSettings s, final long traceLevel) {
        final Map<String, String> rows = new LinkedHashMap<>();
        rows.put(SemiSyncVariables.ENABLED, SemiSyncVariables.get(s, SemiSyncVariables.ENABLED));
        rows.put(SemiSyncVariables.ENFORCED, SemiSyncVariables.get(s, SemiSyncVariables.ENFORCED));
        rows.put(SemiSyncVariables.TIMEOUT, SemiSyncVariables.get(s, SemiSyncVariables.TIMEOUT));
        rows.put(TraceLevel.NAME, Long.toString(traceLevel));
        rows.put(
                SemiSyncVariables.WAIT_FOR_SLAVE_COUNT,
                SemiSyncVariables.get(s, SemiSyncVariables.WAIT_FOR_SLAVE_COUNT));
        rows.put(SemiSyncVariables.WAIT_NO_SLAVE, SemiSyncVariables.get(s, SemiSyncVariables.WAIT_NO_SLAVE));
        rows.put(SemiSyncVariables.WAIT_POINT, SemiSyncVariables.get(s, SemiSyncVariables.WAIT_POINT));
        return rows;
    }

    /** Status name → value, as SHOW STATUS shows them. */
    public static Map<String, String> status(final SemiSyncStatus st, final long positionProbes) {
        final Map<String, String> rows = new LinkedHashMap<>();
        rows.put("Rpl_semi_sync_master_clients", Integer.toString(st.clients()));
        rows.put("Rpl_semi_sync_master_get_ack", Long.toString(st.getAck()));
        rows.put("Rpl_semi_sync_master_net_avg_wait_time", Long.toString(st.netAvgWaitTimeMicros()));
        rows.put("Rpl_semi_sync_master_net_wait_time", Long.toString(st.netWaitTimeMicros()));
        rows.put("Rpl_semi_sync_master_net_waits", Long.toString(st.netWaits()));
        rows.put("Rpl_semi_sync_master_no_times", Long.toString(st.noTimes()));
        rows.put("Rpl_semi_sync_master_no_tx", Long.toString(st.noTx()));
        rows.put("Rpl_semi_sync_master_position_probes", Long.toString(positionProbes));
        rows.put("Rpl_semi_sync_master_request_ack", Long.toString(st.requestAck()));
        rows.put("Rpl_semi_sync_master_status", st.on() ? "ON" : "OFF");
        rows.put("Rpl_semi_sync_master_timefunc_failures", Long.toString(st.timefuncFailures()));
        rows.put("Rpl_semi_sync_master_tx_avg_wait_time", Long.toString(st.txAvgWaitTimeMicros()));
        rows.put("Rpl_semi_sync_master_tx_wait_time", Long.toString(st.txWaitTimeMicros()));
        rows.put("Rpl_semi_sync_master_tx_waits", Long.toString(st.txWaits()));
        rows.put("Rpl_semi_sync_master_wait_pos_backtraverse", Long.toString(st.waitPosBacktraverse()));
        rows.put("Rpl_semi_sync_master_wait_sessions", Integer.toString(st.waitSessions()));
        rows.put("Rpl_semi_sync_master_yes_tx", Long.toString(st.yesTx()));
        return rows;
    }
}
