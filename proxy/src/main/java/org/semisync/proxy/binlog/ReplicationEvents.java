package org.semisync.proxy.binlog;

/**
 * What the ring reports to whoever decides when a commit may be released (the ack-tracker). Called from the ring's
 * handler thread; implementations must be thread-safe and must not block. (Replicas' connects, ACKs and disconnects
 * reach the tracker from their own sessions.)
 */
@FunctionalInterface
public interface ReplicationEvents {
    /** A transaction ended in the master's binlog at {@code file:endPosition}; {@code gtid} may be null (no GTIDs). */
    void transactionEnded(String gtid, String file, long endPosition);
}
