package org.semisync.ack;

/**
 * {@code rpl_semi_sync_master_wait_point}: what waits for the replicas' ACK.
 *
 * <ul>
 *   <li>{@link #AFTER_COMMIT}: the committing client's OK (the master has committed; other sessions may already read
 *       the transaction before any replica has it).
 *   <li>{@link #AFTER_SYNC}: also every other response that could show a transaction to a client of the proxy, so no
 *       client reads what a failover could lose (the proxy's lossless mode, for masters that cannot do it).
 * </ul>
 */
public enum WaitPoint {
    AFTER_COMMIT,
    AFTER_SYNC
}
