package org.semisync.proxy.replica;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.proxy.protocol.MalformedPacketException;
import org.semisync.proxy.protocol.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A semi-sync replica's side of its dump, for the {@link AckTracker}: its connection, its ACK packets, and the
 * extension of its last ACK over the events between transactions. On the dump's event loop.
 */
final class ReplicaAcks {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaAcks.class);
    /** First byte of a semi-sync ACK, and of the header the master puts before each event for a semi-sync replica. */
    static final int SEMI_SYNC_MAGIC = 0xEF;

    private final String replicaId;
    private final AckTracker tracker;
    private boolean connected;
    private long acks;
    /** The end of the last transaction sent with an ACK request. */
    private BinlogPosition lastTransactionEnd;
    /** The end of the events sent since then while no new transaction has started; null inside a transaction. */
    private BinlogPosition quietEnd;
    /** Whether the replica acknowledged {@link #lastTransactionEnd}. */
    private boolean lastTransactionAcked;

    ReplicaAcks(final String replicaId, final AckTracker tracker) {
        this.replicaId = replicaId;
        this.tracker = tracker;
    }

    long acks() {
        return acks;
    }

    /** The dump's first Rotate: the replica is connected, and its start counts as an acknowledgement. */
    void started(final BinlogPosition at) {
        if (connected) {
            return;
        }
        connected = true;
        tracker.replicaConnected(replicaId, at);
        // no transaction has started yet
        quietEnd = at;
        lastTransactionAcked = true;
    }

    void transactionStarted() {
        quietEnd = null;
    }

    /** A transaction's end was sent with an ACK request (or would have been, while semi-sync is disabled). */
    void transactionEnded(final BinlogPosition end) {
        lastTransactionEnd = end;
        quietEnd = end;
        lastTransactionAcked = false;
    }

    /**
     * An event that neither starts nor ends a transaction was sent (or a heartbeat arrived). Between transactions —
     * Binlog_checkpoint, Gtid_list, the Rotate and Format_description of the next file — the replica never
     * acknowledges it, yet the master's SHOW MASTER STATUS, which position-probe mode waits for, already counts it
     * (MariaDB writes checkpoints after the commit, in the background). A replica that acknowledged the last
     * transaction holds every transaction up to here, so its acknowledgement is extended over these events.
     */
    void otherEvent(final EventFollower stream) {
        if (quietEnd == null) {
            return; // inside a transaction (most events): nothing to extend, no position to build
        }
        quietEnd = stream.position();
        if (lastTransactionAcked) {
            tracker.cover(replicaId, quietEnd);
        }
    }

    /**
     * A packet from the replica during the dump: an ACK {@code [0xEF][u64 position][file name]} (a trailing NUL is
     * tolerated), or COM_QUIT. Anything else is a protocol error.
     *
     * @return false when the replica asked to quit
     */
    boolean fromReplica(final Packet packet) {
        final ByteBuf p = packet.payload();
        if (packet.firstByte() == 0x01 && p.readableBytes() == 1) {
            return false;
        }
        if (packet.firstByte() != SEMI_SYNC_MAGIC || p.readableBytes() < 10) {
            throw new MalformedPacketException("replica " + replicaId + " sent " + p.readableBytes()
                    + " bytes starting with " + packet.firstByte() + " during the dump; expected a semi-sync ACK");
        }
        final long ackPosition = p.getLongLE(p.readerIndex() + 1);
        int end = p.writerIndex();
        if (p.getByte(end - 1) == 0) {
            end--;
        }
        final String ackFile = p.toString(p.readerIndex() + 9, end - p.readerIndex() - 9, StandardCharsets.UTF_8);
        final BinlogPosition acked;
        try {
            acked = new BinlogPosition(ackFile, ackPosition);
        } catch (IllegalArgumentException e) {
            throw new MalformedPacketException("replica " + replicaId + " sent a bad ACK: " + e.getMessage());
        }
        acks++;
        tracker.ack(replicaId, acked);
        if (acked.equals(lastTransactionEnd) && quietEnd != null) {
            lastTransactionAcked = true;
            if (!quietEnd.equals(acked)) {
                tracker.cover(replicaId, quietEnd);
            }
        }
        return true;
    }

    /** The replica's connection ended at {@code at} (null when it never got a Rotate). */
    void closed(final BinlogPosition at) {
        if (connected) {
            tracker.replicaDisconnected(replicaId);
            LOG.info("replica - {} left at {} after {} ACKs", replicaId, at, acks);
        }
    }
}
