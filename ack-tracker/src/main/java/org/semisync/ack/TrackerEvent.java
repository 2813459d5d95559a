package org.semisync.ack;

import java.util.concurrent.Executor;

/** A ring slot: one input to the tracker. Reused; cleared after the tracker thread consumed it. */
final class TrackerEvent {
    enum Type {
        AWAIT_POSITION,
        AWAIT_GTID,
        AWAIT_READ,
        COMMITTED,
        ACK,
        COVER,
        REPLICA_CONNECTED,
        REPLICA_DISCONNECTED,
        CONFIGURE,
        RESET_STATS,
        SHUTDOWN
    }

    Type type;
    BinlogPosition position;
    Gtid gtid;
    String replicaId;
    Executor executor;
    CommitListener listener;
    SemiSyncSettings settings;

    void clear() {
        type = null;
        position = null;
        gtid = null;
        replicaId = null;
        executor = null;
        listener = null;
        settings = null;
    }
}
