package org.semisync.proxy.binlog;

/**
 * What the relay reports to whoever decides when a commit may be released (the ack-tracker). Calls come from the ring's
 * handler thread and from replica event loops; implementations must be thread-safe and must not block.
 */
public interface ReplicationEvents {
    /** A transaction ended in the master's binlog at {@code file:endPosition}; {@code gtid} may be null (no GTIDs). */
    void transactionEnded(String gtid, String file, long endPosition);

    /** A replica started a dump at {@code file:position}: everything before it counts as acknowledged. */
    void replicaConnected(String replicaId, String file, long position);

    /** A replica acknowledged everything up to {@code file:position}. */
    void acknowledged(String replicaId, String file, long position);

    /** A replica's dump ended. */
    void replicaDisconnected(String replicaId);
}
