package org.semisync.proxy.admin;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.SemiSyncStatus;

/**
 * The proxy's answers under the semi-sync plugin's names: {@code rpl_semi_sync_master_*} variables from the settings
 * in force and {@code Rpl_semi_sync_master_*} status counters from a tracker snapshot, in the plugin's order.
 */
public final class StatusRows {
    /** Prefix of every name the proxy owns (compared case-insensitively). */
    public static final String PREFIX = "rpl_semi_sync_master_";

    private StatusRows() {}

    /** Whether {@code name} is one of the proxy's (the master's rows of that name are replaced). */
    public static boolean owns(final String name) {
        return name.toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    /** Variable name → value, as SHOW VARIABLES shows them. */
    public static Map<String, String> variables(final SemiSyncSettings s, final int traceLevel) {
        final Map<String, String> rows = new LinkedHashMap<>();
        rows.put("rpl_semi_sync_master_enabled", onOff(s.enabled()));
        rows.put("rpl_semi_sync_master_timeout", Long.toString(s.timeoutMillis()));
        rows.put("rpl_semi_sync_master_trace_level", Integer.toString(traceLevel));
        rows.put("rpl_semi_sync_master_wait_for_slave_count", Integer.toString(s.waitForSlaveCount()));
        rows.put("rpl_semi_sync_master_wait_no_slave", onOff(s.waitNoSlave()));
        // what a proxy can offer: the master commits before the proxy sees the OK
        rows.put("rpl_semi_sync_master_wait_point", "AFTER_COMMIT");
        return rows;
    }

    /** Status name → value, as SHOW STATUS shows them. */
    public static Map<String, String> status(final SemiSyncStatus st) {
        final Map<String, String> rows = new LinkedHashMap<>();
        rows.put("Rpl_semi_sync_master_clients", Integer.toString(st.clients()));
        rows.put("Rpl_semi_sync_master_get_ack", Long.toString(st.getAck()));
        rows.put("Rpl_semi_sync_master_net_avg_wait_time", Long.toString(st.netAvgWaitTimeMicros()));
        rows.put("Rpl_semi_sync_master_net_wait_time", Long.toString(st.netWaitTimeMicros()));
        rows.put("Rpl_semi_sync_master_net_waits", Long.toString(st.netWaits()));
        rows.put("Rpl_semi_sync_master_no_times", Long.toString(st.noTimes()));
        rows.put("Rpl_semi_sync_master_no_tx", Long.toString(st.noTx()));
        rows.put("Rpl_semi_sync_master_request_ack", Long.toString(st.requestAck()));
        rows.put("Rpl_semi_sync_master_status", onOff(st.on()));
        rows.put("Rpl_semi_sync_master_timefunc_failures", Long.toString(st.timefuncFailures()));
        rows.put("Rpl_semi_sync_master_tx_avg_wait_time", Long.toString(st.txAvgWaitTimeMicros()));
        rows.put("Rpl_semi_sync_master_tx_wait_time", Long.toString(st.txWaitTimeMicros()));
        rows.put("Rpl_semi_sync_master_tx_waits", Long.toString(st.txWaits()));
        rows.put("Rpl_semi_sync_master_wait_pos_backtraverse", Long.toString(st.waitPosBacktraverse()));
        rows.put("Rpl_semi_sync_master_wait_sessions", Integer.toString(st.waitSessions()));
        rows.put("Rpl_semi_sync_master_yes_tx", Long.toString(st.yesTx()));
        return rows;
    }

    private static String onOff(final boolean on) {
        return on ? "ON" : "OFF";
    }
}
