package org.semisync.proxy.replica;

/**
 * What a replica negotiated before asking for the dump (user variables it set on its connection) and what the proxy
 * knows of the master.
 *
 * @param replicaId stable name of the replica (its server_id from COM_REGISTER_SLAVE / the dump command)
 * @param semiSync the replica set {@code @rpl_semi_sync_slave=1} (or {@code @rpl_semi_sync_replica=1})
 * @param heartbeatPeriodNanos {@code @master_heartbeat_period}, 0 for none
 * @param masterServerId server_id written into synthetic events
 */
public record DumpSettings(String replicaId, boolean semiSync, long heartbeatPeriodNanos, long masterServerId) {}
