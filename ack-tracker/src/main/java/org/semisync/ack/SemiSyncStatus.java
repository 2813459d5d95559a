package org.semisync.ack;

import java.util.List;

/**
 * A consistent snapshot of the tracker: the plugin's status variables ({@code Rpl_semi_sync_master_*}), the
 * settings in force and the connected replicas. Published after every batch of inputs;
 * readable from any thread.
 *
 * @param on {@code Rpl_semi_sync_master_status}
 * @param clients {@code _clients}: connected semi-sync replicas
 * @param yesTx {@code _yes_tx}: commits acknowledged
 * @param noTx {@code _no_tx}: commits released without acknowledgement (OFF, timeout, shutdown)
 * @param noTimes {@code _no_times}: times semi-sync switched OFF
 * @param timefuncFailures {@code _timefunc_failures}: times the clock went backwards
 * @param txWaitTimeMicros {@code _tx_wait_time}: total µs commits waited (acknowledged waits)
 * @param txWaits {@code _tx_waits}: acknowledged waits
 * @param netWaits {@code _net_waits}: events sent to replicas asking for an ACK (as the plugin counts them)
 * @param netWaitTimeMicros {@code _net_wait_time}: always 0, as in the plugin, which declares it and never adds to it
 * @param waitSessions {@code _wait_sessions}: commits waiting now
 * @param waitPosBacktraverse {@code _wait_pos_backtraverse}: waits registered below the lowest waiting position
 * @param getAck {@code _get_ack}: ACK packets received
 * @param requestAck {@code _request_ack}: commits that started to wait while ON
 * @param newestCommitted the newest committed position the tracker knows of, or {@code null}
 * @param quorumPosition the position acknowledged by the quorum, or {@code null}
 * @param lowestWaiting the lowest end position a held commit or read waits for, or {@code null} when none (or only
 *     commits whose GTID the tail has not reported yet)
 * @param settings the variables in force
 * @param replicas connected replicas with their watermarks
 * @param readsWaiting responses held now in AFTER_SYNC (not commits)
 * @param readWaits responses that were held in AFTER_SYNC until acknowledged or released
 */
public record SemiSyncStatus(
        boolean on,
        int clients,
        long yesTx,
        long noTx,
        long noTimes,
        long timefuncFailures,
        long txWaitTimeMicros,
        long txWaits,
        long netWaits,
        long netWaitTimeMicros,
        int waitSessions,
        long waitPosBacktraverse,
        long getAck,
        long requestAck,
        BinlogPosition newestCommitted,
        BinlogPosition quorumPosition,
        BinlogPosition lowestWaiting,
        SemiSyncSettings settings,
        List<ReplicaView> replicas,
        int readsWaiting,
        long readWaits) {

    /** {@code _tx_avg_wait_time}: µs. */
    public long txAvgWaitTimeMicros() {
        return txWaits == 0 ? 0 : txWaitTimeMicros / txWaits;
    }

    /** {@code _net_avg_wait_time}: µs. */
    public long netAvgWaitTimeMicros() {
        return netWaits == 0 ? 0 : netWaitTimeMicros / netWaits;
    }

    /**
     * Whether wait point AFTER_SYNC holds responses now: it is the wait point, semi-sync is enabled, and ON (or
     * enforced, which never falls back).
     */
    public boolean holdsAfterSync() {
        return settings.waitPoint() == WaitPoint.AFTER_SYNC && settings.enabled() && (on || settings.enforced());
    }

    /**
     * One connected replica.
     *
     * @param id replica id (e.g. its server_id)
     * @param watermark highest position it acknowledged (its dump start counts), or {@code null}
     * @param acks ACK packets received from it
     * @param lastAckNanos clock value of its last ACK, 0 when none
     */
    public record ReplicaView(String id, BinlogPosition watermark, long acks, long lastAckNanos) {}
}
