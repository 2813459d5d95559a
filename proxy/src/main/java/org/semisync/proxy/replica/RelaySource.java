package org.semisync.proxy.replica;

import java.util.function.Supplier;
import org.semisync.proxy.binlog.BinlogRing;
import org.semisync.proxy.binlog.ReplicationEvents;

/**
 * What replica sessions are served from.
 *
 * @param formatDescription the current Format_description of the master, as sent
 * @param masterServerId server_id for synthetic events
 */
public record RelaySource(
        BinlogRing ring,
        Supplier<byte[]> formatDescription,
        long masterServerId,
        ReplicationEvents events,
        AckCounters acks) {}
