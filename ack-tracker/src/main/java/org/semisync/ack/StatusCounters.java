package org.semisync.ack;

import java.util.concurrent.atomic.LongAdder;

/**
 * The plugin's counters ({@code Rpl_semi_sync_master_*}) and ours for AFTER_SYNC reads. Written by the
 * draining thread only, except {@link #ackRequested()}.
 */
final class StatusCounters {
    long yesTx;
    long noTx;
    long noTimes;
    long timefuncFailures;
    long txWaitTimeMicros;
    long txWaits;
    long waitPosBacktraverse;
    long getAck;
    long requestAck;
    int waiting;
    int readsWaiting;
    long readWaits;
    /** {@code _net_waits}: events sent asking for an ACK (the plugin counts them in flush_net); any thread adds. */
    private final LongAdder ackRequests = new LongAdder();

    private long lastNow = Long.MIN_VALUE;

    void ackRequested() {
        ackRequests.increment();
    }

    /** Every input's clock reading: one that goes backwards is counted in {@code _timefunc_failures}. */
    void clock(final long now) {
        if (now < lastNow) {
            timefuncFailures++;
        } else {
            lastNow = now;
        }
    }

    /**
     * {@code FLUSH STATUS}, as MariaDB 11.4's plugin answers it (measured by the parity suite): yes_tx, no_tx and
     * no_times (and the clock and back-traverse counters) start again from 0; request_ack, get_ack, net_waits and the
     * wait counters do not.
     */
    void reset() {
        yesTx = 0;
        noTx = 0;
        noTimes = 0;
        timefuncFailures = 0;
        waitPosBacktraverse = 0;
    }

    SemiSyncStatus snapshot(
            final boolean on,
            final BinlogPosition newestCommitted,
            final BinlogPosition quorum,
            final BinlogPosition lowestWaiting,
            final SemiSyncSettings settings,
            final Replicas replicas) {
        return new SemiSyncStatus(
                on,
                replicas.size(),
                yesTx,
                noTx,
                noTimes,
                timefuncFailures,
                txWaitTimeMicros,
                txWaits,
                ackRequests.sum(),
                0, // _net_wait_time: the plugin declares it and never adds to it
                waiting,
                waitPosBacktraverse,
                getAck,
                requestAck,
                newestCommitted,
                quorum,
                lowestWaiting,
                settings,
                replicas.views(),
                readsWaiting,
                readWaits);
    }
}
