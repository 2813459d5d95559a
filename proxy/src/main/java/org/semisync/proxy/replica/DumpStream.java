package org.semisync.proxy.replica;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.Gtid;
import org.semisync.ack.MariaDbGtid;
import org.semisync.proxy.binlog.EventHeader;
import org.semisync.proxy.binlog.RawEvent;
import org.semisync.proxy.binlog.SyntheticEvents;
import org.semisync.proxy.binlog.TransactionBoundaries;
import org.semisync.proxy.protocol.MalformedPacketException;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.Packets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's binlog dump, relayed from the master: the master serves the events (its own file names, positions,
 * GTID lookup and catch-up); this class follows the stream the way the replica does — positions by Rotate and event
 * sizes, GTIDs, transaction ends — and, for a semi-sync replica, puts the semi-sync header {@code [0xEF][flag]}
 * after the OK byte of every event packet, asking for an ACK (flag 1) on each transaction's last event. ACKs from
 * the replica go to the {@link AckTracker}. Runs on the session's event loop.
 */
public final class DumpStream {
    private static final Logger LOG = LoggerFactory.getLogger(DumpStream.class);
    private static final int SEMI_SYNC_MAGIC = 0xEF;
    private static final int NEED_ACK = 0x01;

    private final String replicaId;
    private final boolean semiSync;
    private final boolean gtidMode;
    private final long heartbeatNanos;
    private boolean formatSeen;
    /** Whether this stream tells the tracker where transactions end (not needed when the shared tail does). */
    private boolean reportCommits = true;

    private final AckTracker tracker;
    private final ByteBufAllocator alloc;
    private final List<ByteBuf> pending = new ArrayList<>();
    private String file;
    private long position;
    private int checksumSize;
    private Gtid gtid;
    /** Inside a BEGIN … COMMIT group (a Query event then does not end the transaction). */
    private boolean inTransaction;

    private boolean connected;
    private int nextSequence = 1;
    private long acks;
    /** The end of the last transaction sent with an ACK request. */
    private BinlogPosition lastTransactionEnd;
    /** The end of the events sent since then while no new transaction has started; null inside a transaction. */
    private BinlogPosition quietEnd;
    /** Whether the replica acknowledged {@link #lastTransactionEnd}. */
    private boolean lastTransactionAcked;
    /** Where the transaction closed by the event just framed ends; null when that event closed none. */
    private BinlogPosition transactionEnded;

    public DumpStream(
            final String replicaId,
            final boolean semiSync,
            final AckTracker tracker,
            final ByteBufAllocator alloc,
            final String file,
            final long position,
            final boolean gtidMode,
            final long heartbeatNanos) {
        this.replicaId = replicaId;
        this.semiSync = semiSync;
        this.gtidMode = gtidMode;
        this.heartbeatNanos = heartbeatNanos;
        this.tracker = tracker;
        this.alloc = alloc;
        this.file = file;
        this.position = position;
    }

    /**
     * The shared tail reports the end of every transaction it puts in the ring: events this stream takes from the
     * ring need not be reported again. Events relayed from the master's own dump still are: after a master restart
     * the replicas may be back before the tail, and their commits must not wait for it.
     */
    public void commitsReportedByTail() {
        reportCommits = false;
    }

    /** Whether the replica negotiated semi-sync. */
    public boolean semiSync() {
        return semiSync;
    }

    /** The replica's id (its server_id). */
    public String replicaId() {
        return replicaId;
    }

    /** ACKs received from this replica. */
    public long acks() {
        return acks;
    }

    /** The heartbeat period the replica asked for ({@code @master_heartbeat_period}), 0 when none. */
    public long heartbeatNanos() {
        return heartbeatNanos;
    }

    /**
     * Whether the stream may continue from another source of the same binlog here: between events, after the
     * Format_description, and — in GTID mode, where the master skips what the replica already has — only where the
     * caller checks that nothing follows in the binlog yet.
     */
    public boolean joinable() {
        return pending.isEmpty() && formatSeen && file != null;
    }

    /** Whether the replica asked for its dump by GTID state (the master skipped what it has). */
    public boolean gtidMode() {
        return gtidMode;
    }

    /**
     * For an asynchronous replica in wait point AFTER_SYNC: the gate its events pass through (see {@link
     * #transactionEnded}); null for a semi-sync replica, whose own ACKs are what the quorum counts.
     */
    public AsyncReplicaGate asyncGate(final io.netty.channel.Channel replica, final Runnable resumed) {
        return semiSync ? null : new AsyncReplicaGate(tracker, replica, replica.eventLoop(), resumed);
    }

    /** Where the transaction closed by the last event framed ends; null when it closed none (or is incomplete). */
    public BinlogPosition transactionEnded() {
        return transactionEnded;
    }

    /** One event of the shared ring, as the master wrote it, framed like a relayed one. */
    public List<Packet> fromRing(final RawEvent event) {
        transactionEnded = null;
        if (!semiSync) {
            return event(eventPacket(event.bytes()), true);
        }
        // the ring's events are copied anyway: write the semi-sync header in the same buffer (no composite)
        final byte[] bytes = event.bytes();
        final ByteBuf framed = alloc.buffer(3 + bytes.length)
                .writeByte(Packets.OK)
                .writeByte(SEMI_SYNC_MAGIC)
                .writeByte(0)
                .writeBytes(bytes);
        // follow() reads the event after the byte at the reader index, as in [00][event]
        final boolean needAck = followOwned(framed.readerIndex(2), true);
        framed.readerIndex(0).setByte(2, needAck ? NEED_ACK : 0);
        return split(framed, needAck);
    }

    /** {@code [00][event]}, as a master sends an event in its dump. */
    private ByteBuf eventPacket(final byte[] event) {
        return alloc.buffer(1 + event.length).writeByte(Packets.OK).writeBytes(event);
    }

    /** A heartbeat with the current coordinates (sent while idle when the dump is served from the ring). */
    public List<Packet> heartbeat(final long masterServerId, final boolean crc32) {
        return event(eventPacket(SyntheticEvents.heartbeat(masterServerId, file, position, crc32)), false);
    }

    /** The position the replica has received up to, in master coordinates. */
    public BinlogPosition position() {
        return file == null || file.isEmpty() ? null : new BinlogPosition(file, position);
    }

    /**
     * Transforms one packet from the master into the packets for the replica (none while a large event is still
     * arriving in continuation packets). Takes ownership of {@code packet}.
     */
    public List<Packet> fromMaster(final Packet packet) {
        transactionEnded = null;
        if (!pending.isEmpty() || packet.continues()) {
            pending.add(packet.payload().retain());
            packet.release();
            if (packet.continues()) {
                return List.of();
            }
            final CompositeByteBuf whole = alloc.compositeBuffer(pending.size());
            pending.forEach(b -> whole.addComponent(true, b));
            pending.clear();
            return event(whole, false);
        }
        final int marker = packet.firstByte();
        if (marker != Packets.OK) {
            // ERR or EOF: the dump ends; not an event, no semi-sync header
            final Packet out = new Packet(nextSequence++, packet.payload().retain());
            packet.release();
            return List.of(out);
        }
        final ByteBuf payload = packet.payload().retain();
        packet.release();
        return event(payload, false);
    }

    /** {@code payload} is {@code [0x00][event]}; owned here. {@code fromRing}: see {@link #follow}. */
    private List<Packet> event(final ByteBuf payload, final boolean fromRing) {
        final boolean needAck = followOwned(payload, fromRing);
        final ByteBuf framed;
        if (semiSync) {
            final ByteBuf header = alloc.buffer(3).writeByte(Packets.OK).writeByte(SEMI_SYNC_MAGIC);
            header.writeByte(needAck ? NEED_ACK : 0);
            framed = alloc.compositeBuffer(2).addComponents(true, header, payload.skipBytes(1));
        } else {
            framed = payload;
        }
        return split(framed, needAck);
    }

    /** The logical packet {@code framed} (owned here) as wire packets with this stream's sequence ids. */
    private List<Packet> split(final ByteBuf framed, final boolean needAck) {
        final List<Packet> out;
        if (framed.readableBytes() < Packets.MAX_PAYLOAD) {
            out = List.of(new Packet(nextSequence++, framed));
        } else {
            out = new ArrayList<>(2);
            // a logical packet of 16 MiB - 1 or more is sent as several wire packets; a multiple of the maximum
            // ends with an empty one
            while (true) {
                final int chunk = Math.min(framed.readableBytes(), Packets.MAX_PAYLOAD);
                out.add(new Packet(nextSequence++, framed.readRetainedSlice(chunk)));
                if (chunk < Packets.MAX_PAYLOAD) {
                    break;
                }
            }
            framed.release();
        }
        if (needAck) {
            // the replica answers a flagged event with an ACK of sequence id 0 and then expects sequence id 1
            nextSequence = 1;
        }
        return out;
    }

    /** {@link #follow} on a buffer owned here: released if the event is malformed. */
    private boolean followOwned(final ByteBuf payload, final boolean fromRing) {
        try {
            return follow(payload, fromRing);
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
    }

    /**
     * Follows positions and transactions; returns whether this event ends a transaction (asks for an ACK).
     * {@code fromRing}: the event comes from the shared ring, whose tail reports its commit already.
     */
    private boolean follow(final ByteBuf payload, final boolean fromRing) {
        final int base = payload.readerIndex() + 1;
        if (payload.readableBytes() < 1 + EventHeader.SIZE) {
            throw new MalformedPacketException("binlog event shorter than its header");
        }
        final int type = payload.getUnsignedByte(base + EventHeader.TYPE_OFFSET);
        final long size = payload.getUnsignedIntLE(base + EventHeader.EVENT_SIZE_OFFSET);
        final long logPos = payload.getUnsignedIntLE(base + EventHeader.LOG_POS_OFFSET);
        final int flags = payload.getUnsignedShortLE(base + EventHeader.FLAGS_OFFSET);
        final int body = base + EventHeader.SIZE;
        final int bodyLength = (int) size - EventHeader.SIZE;
        switch (type) {
            case EventHeader.ROTATE_EVENT -> {
                position = payload.getLongLE(body);
                // the first (fake) Rotate comes before the Format_description that tells the checksum algorithm
                final int crc = hasValidCrc(payload, base, (int) size) ? EventHeader.CHECKSUM_SIZE : checksumSize;
                file = payload.toString(body + 8, bodyLength - 8 - crc, StandardCharsets.UTF_8);
                if (!connected) {
                    connected = true;
                    if (semiSync) {
                        tracker.replicaConnected(replicaId, new BinlogPosition(file, position));
                        // the dump start counts as an acknowledgement, and no transaction has started yet
                        quietEnd = new BinlogPosition(file, position);
                        lastTransactionAcked = true;
                    }
                }
                return false;
            }
            case EventHeader.FORMAT_DESCRIPTION_EVENT -> {
                // the checksum algorithm byte precedes the event's own 4-byte checksum
                final int alg = payload.getUnsignedByte(body + bodyLength - 5);
                formatSeen = true;
                checksumSize = alg == EventHeader.CHECKSUM_ALG_CRC32 ? EventHeader.CHECKSUM_SIZE : 0;
                if (logPos != 0) {
                    position = logPos;
                }
                return false;
            }
            case EventHeader.HEARTBEAT_LOG_EVENT -> {
                // The master has nothing more for this replica: everything up to the heartbeat's position was sent
                // or, in GTID mode, skipped because the replica has it. The replica moves its position there, and so
                // does this stream (it is then where the tail may be, ready to join the ring).
                if (file != null && logPos > position) {
                    position = logPos;
                }
                return false;
            }
            default -> {}
        }
        if ((flags & EventHeader.LOG_EVENT_ARTIFICIAL_F) != 0) {
            return false;
        }
        position = logPos != 0 ? logPos : position + size;
        boolean ends = false;
        boolean starts = false;
        if (type == EventHeader.MARIADB_GTID_EVENT) {
            final long seq = payload.getLongLE(body);
            final long domain = payload.getUnsignedIntLE(body + 8);
            final int flags2 = payload.getUnsignedByte(body + 12);
            gtid = new MariaDbGtid(domain, payload.getUnsignedIntLE(base + EventHeader.SERVER_ID_OFFSET), seq);
            // a standalone group (DDL) is one statement without BEGIN/COMMIT
            inTransaction = (flags2 & EventHeader.MARIADB_FL_STANDALONE) == 0;
            starts = true;
        } else if (type == EventHeader.GTID_LOG_EVENT || type == EventHeader.ANONYMOUS_GTID_LOG_EVENT) {
            // MySQL: a BEGIN query opens DML; DDL follows on its own. The tail reports MySQL GTIDs.
            gtid = null;
            inTransaction = false;
            starts = true;
        } else if (type == EventHeader.XID_EVENT || type == EventHeader.XA_PREPARE_LOG_EVENT) {
            ends = true;
        } else if (type == EventHeader.QUERY_EVENT) {
            final String head = queryHead(payload, body, bodyLength);
            if (head.equalsIgnoreCase("BEGIN")) {
                inTransaction = true;
                starts = true;
            } else {
                ends = !inTransaction || TransactionBoundaries.closesTransaction(head);
            }
        }
        if (starts) {
            quietEnd = null;
        }
        if (ends) {
            transactionEnded = new BinlogPosition(file, position);
            if (reportCommits || !fromRing) {
                tracker.transactionCommitted(gtid, transactionEnded);
            }
            gtid = null;
            inTransaction = false;
            if (semiSync) {
                lastTransactionEnd = transactionEnded;
                quietEnd = lastTransactionEnd;
                lastTransactionAcked = false;
            }
        } else if (quietEnd != null) {
            extendQuietEnd();
        }
        return ends && semiSync && ackWanted();
    }

    /**
     * Whether to ask for an ACK of a transaction's end: not while semi-sync is disabled (the plugin's
     * update_sync_header sets no flag then, so replicas send nothing); every request counts in net_waits.
     */
    private boolean ackWanted() {
        if (!tracker.status().settings().enabled()) {
            return false;
        }
        tracker.ackRequested();
        return true;
    }

    /**
     * An event between transactions (Binlog_checkpoint, Gtid_list, the Rotate and Format_description of the next
     * file) was sent. The replica never acknowledges such events, yet the master's SHOW MASTER STATUS, which
     * position-probe mode waits for, already counts them (MariaDB writes checkpoints after the commit, in the
     * background). A replica that acknowledged the last transaction holds every transaction up to here, so its
     * acknowledgement is extended over these events.
     */
    private void extendQuietEnd() {
        quietEnd = new BinlogPosition(file, position);
        if (lastTransactionAcked) {
            tracker.cover(replicaId, quietEnd);
        }
    }

    private static boolean hasValidCrc(final ByteBuf payload, final int start, final int size) {
        if (size < EventHeader.SIZE + EventHeader.CHECKSUM_SIZE) {
            return false;
        }
        final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(payload.nioBuffer(start, size - EventHeader.CHECKSUM_SIZE));
        return crc.getValue() == payload.getUnsignedIntLE(start + size - EventHeader.CHECKSUM_SIZE);
    }

    /** The first 11 characters of a Query event's statement (enough for BEGIN, COMMIT, XA COMMIT). */
    private String queryHead(final ByteBuf payload, final int body, final int bodyLength) {
        // Query event: thread id (4), exec time (4), db length (1), error code (2), status vars length (2), status
        // vars, db name + NUL, statement text
        final int dbLength = payload.getUnsignedByte(body + 8);
        final int statusLength = payload.getUnsignedShortLE(body + 11);
        final int text = body + 13 + statusLength + dbLength + 1;
        final int textLength = body + bodyLength - checksumSize - text;
        if (textLength <= 0) {
            return "";
        }
        return payload.toString(text, Math.min(textLength, 11), StandardCharsets.US_ASCII)
                .strip();
    }

    /**
     * A packet from the replica during the dump: an ACK {@code [0xEF][u64 position][file name]} (a trailing NUL is
     * tolerated), or COM_QUIT. Anything else is a protocol error.
     *
     * @return false when the replica asked to quit
     */
    public boolean fromReplica(final Packet packet) {
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

    /** The replica's connection ended. */
    public void closed() {
        pending.forEach(ByteBuf::release);
        pending.clear();
        if (connected && semiSync) {
            tracker.replicaDisconnected(replicaId);
            LOG.info("replica - {} left at {}:{} after {} ACKs", replicaId, file, position, acks);
        }
    }
}
