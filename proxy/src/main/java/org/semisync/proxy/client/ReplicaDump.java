package org.semisync.proxy.client;

import io.netty.channel.Channel;
import java.util.List;
import org.semisync.ack.BinlogPosition;
import org.semisync.proxy.binlog.RelayHub;
import org.semisync.proxy.protocol.MalformedPacketException;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.replica.AsyncReplicaGate;
import org.semisync.proxy.replica.DumpStream;
import org.semisync.proxy.replica.RingFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica connection once it asked for its dump: first the master's own dump relayed through {@link DumpStream},
 * then, when the stream meets the shared tail, the ring ({@link RingFeed}); the replica's ACKs in both phases. On
 * the session's event loop.
 */
final class ReplicaDump {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaDump.class);

    private final DumpStream stream;
    private final RelayHub relay;
    private final Channel replica;
    private final long masterConnectionId;
    /** Holds an asynchronous replica at the quorum's position (AFTER_SYNC); null for a semi-sync replica. */
    private final AsyncReplicaGate gate;
    /** Lets the master's dump be read again after the gate held it. */
    private final Runnable resumeMaster;
    /** Serves the dump from the ring once joined; null while the master serves it. */
    private RingFeed feed;

    /**
     * @param relay the shared relay, or null (the master serves the whole dump)
     * @param masterConnectionId the id the master gave this connection (the replica's STOP SLAVE kills it)
     * @param resumeMaster reads the master's dump again once the gate no longer holds it ({@link #held()})
     */
    ReplicaDump(
            final DumpStream stream,
            final RelayHub relay,
            final Channel replica,
            final long masterConnectionId,
            final Runnable resumeMaster) {
        this.stream = stream;
        this.relay = relay;
        this.replica = replica;
        this.masterConnectionId = masterConnectionId;
        this.resumeMaster = resumeMaster;
        this.gate = stream.asyncGate(replica, this::resumed);
        if (relay != null) {
            stream.commitsReportedByTail();
        }
        LOG.info(
                "replica - {} (server_id {}) starts a {}binlog dump",
                replica.remoteAddress(),
                stream.replicaId(),
                stream.semiSync() ? "semi-sync " : "");
    }

    /**
     * A packet of the master's dump for this replica. Returns true when the replica has just joined the ring: the
     * master's dump is then no longer needed (one dump, the tail's, serves every joined replica). Does not take
     * ownership.
     */
    boolean fromMaster(final Packet packet) {
        if (feed != null) {
            return false; // in flight when the ring took over: the ring has it too
        }
        final List<Packet> packets = stream.fromMaster(packet.retain());
        if (gate != null) {
            gate.send(packets, stream.transactionEnded());
        } else {
            packets.forEach(replica::write);
        }
        if (relay == null || !stream.joinable()) {
            return false;
        }
        final BinlogPosition at = stream.position();
        final long sequence = relay.joinAt(at.file(), at.offset(), stream.gtidMode());
        if (sequence < 0) {
            return false;
        }
        replica.flush();
        feed = new RingFeed(relay, stream, replica, gate, sequence);
        relay.servedFromRing(masterConnectionId, replica);
        feed.start();
        return true;
    }

    /** Whether the ring serves the dump (the master connection is closed on purpose). */
    boolean servedFromRing() {
        return feed != null;
    }

    /** During a dump the replica sends only ACKs (semi-sync) or COM_QUIT; anything else closes it. */
    void fromReplica(final Packet packet) {
        try {
            if (!stream.fromReplica(packet)) {
                replica.close();
            }
        } catch (MalformedPacketException e) {
            LOG.warn("replica - {}: {}; closing this replica's connection", replica.remoteAddress(), e.getMessage());
            replica.close();
        }
    }

    /** Whether the gate holds a transaction end: the master's dump must not be read meanwhile. */
    boolean held() {
        return gate != null && gate.holding();
    }

    private void resumed() {
        if (feed != null) {
            feed.resume();
        } else {
            resumeMaster.run();
        }
    }

    /** The replica's socket takes data again. */
    void writable() {
        if (feed != null) {
            feed.drain();
        }
    }

    /** The replica's connection ended. */
    void closed() {
        if (feed != null) {
            feed.stop();
        }
        if (gate != null) {
            gate.close();
        }
        stream.closed();
    }
}
