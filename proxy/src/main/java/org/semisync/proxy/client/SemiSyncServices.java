package org.semisync.proxy.client;

import org.semisync.ack.AckTracker;
import org.semisync.proxy.binlog.RelayHub;
import org.semisync.proxy.commit.PositionProbes;

/**
 * What the sessions share to give semi-sync: the ack-tracker, the position probes for sessions whose commits carry
 * no GTID, and the shared binlog relay. Any may be null: no tracker means a plain relay; no probes means sessions
 * without GTID tracking are not held; no relay means every replica's dump is the master's own.
 */
public record SemiSyncServices(AckTracker tracker, PositionProbes probes, RelayHub relay) {
    /** A plain transparent proxy. */
    public static final SemiSyncServices NONE = new SemiSyncServices(null, null, null);
}
