package org.semisync.proxy.replica;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.proxy.binlog.BinlogRing;
import org.semisync.proxy.binlog.EventHeader;
import org.semisync.proxy.binlog.RawEvent;
import org.semisync.proxy.binlog.SyntheticEvents;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.Packets;

/**
 * One replica's binlog dump, relayed from the master or served from the ring: the master serves the events (its own
 * file names, positions, GTID lookup and catch-up); this class follows the stream the way the replica does ({@link
 * EventFollower}) and, for a semi-sync replica, puts the semi-sync header {@code [0xEF][flag]} after the OK byte of
 * every event packet, asking for an ACK (flag 1) on each transaction's last event; the replica's ACKs go to the
 * {@link AckTracker} ({@link ReplicaAcks}). Runs on the session's event loop.
 */
public final class DumpStream {
    private final String replicaId;
    private final boolean semiSync;
    private final boolean gtidMode;
    private final long heartbeatNanos;
    /** Whether this stream tells the tracker where transactions end (not needed when the shared tail does). */
    private boolean reportCommits = true;
    /** Whether Annotate_rows events from the ring are followed but not sent (the replica did not ask for them). */
    private boolean omitAnnotateRows;

    private final AckTracker tracker;
    private final ByteBufAllocator alloc;
    private final List<ByteBuf> pending = new ArrayList<>();
    private final EventFollower follower;
    private final ReplicaAcks acks;
    private final ReplicaFraming framing;
    private final AckRequests ackRequests;
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
        this.follower = new EventFollower(file, position);
        this.acks = new ReplicaAcks(replicaId, tracker);
        this.framing = new ReplicaFraming(semiSync, alloc);
        this.ackRequests = new AckRequests(tracker);
    }

    /**
     * The shared tail reports the end of every transaction it puts in the ring: events this stream takes from the
     * ring need not be reported again. Events relayed from the master's own dump still are: after a master restart
     * the replicas may be back before the tail, and their commits must not wait for it.
     */
    public void commitsReportedByTail() {
        reportCommits = false;
    }

    /** The replica did not ask for Annotate_rows events and copes with events left out: the ring's are not sent. */
    public void omitAnnotateRows() {
        omitAnnotateRows = true;
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
        return acks.acks();
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
        return pending.isEmpty() && follower.formatSeen() && follower.file() != null;
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

    /**
     * One event of the shared ring, as the master wrote it, framed like a relayed one. {@code laterEndFollows}: the end
     * of a later transaction follows in this stream already. Then a transaction end asks for no ACK: the replica's ACK
     * of the later one covers it, and it arrives as soon (both go out in the same flush). The plugin's
     * update_sync_header does the same with its newest waited-for position (m_wait_file_pos): under group commit a
     * replica acknowledges one transaction per group, not each of them.
     */
    public List<Packet> fromRing(final RawEvent event, final boolean laterEndFollows) {
        transactionEnded = null;
        if (omitted(event)) {
            return List.of();
        }
        if (!semiSync) {
            return event(framing.eventPacket(event.bytes()), true);
        }
        final ByteBuf framed = framing.ringEvent(event.bytes());
        return framing.ringPackets(framed, followOwned(framed, true, laterEndFollows));
    }

    /**
     * {@link #fromRing} into a batch of packets the caller writes at once (one buffer, one pass through the pipeline,
     * instead of one of each per event), the event's bytes copied from the ring's arena straight into {@code batch}:
     * appends the packet of the event at {@code sequence}, or nothing when the replica does not take the event.
     *
     * @return {@link BinlogRing#NO_ROOM} or {@link BinlogRing#DROPPED} (nothing appended), or the event's length
     */
    public int appendFromRing(
            final BinlogRing ring, final long sequence, final boolean laterEndFollows, final ByteBuf batch) {
        transactionEnded = null;
        final int start = batch.writerIndex();
        final int beforeEvent = framing.start(batch);
        final int length = beforeEvent < 0 ? BinlogRing.NO_ROOM : ring.copyTo(sequence, batch);
        if (length < 0) {
            batch.writerIndex(start);
            return length;
        }
        // followed as if sent (the stream's position moves past it), then taken out again
        final boolean omitted = omits(batch.getUnsignedByte(beforeEvent + 1 + EventHeader.TYPE_OFFSET));
        final int reader = batch.readerIndex();
        final boolean needAck;
        batch.readerIndex(beforeEvent);
        try {
            needAck = follow(batch, true, laterEndFollows && !omitted);
        } catch (RuntimeException e) {
            batch.readerIndex(reader).writerIndex(start);
            throw e;
        }
        batch.readerIndex(reader);
        if (omitted) {
            batch.writerIndex(start);
            return length;
        }
        framing.seal(batch, start, needAck);
        return length;
    }

    /**
     * Whether the event is one the replica does not take (an Annotate_rows it did not ask for); then it is followed:
     * the stream's position moves past it as if sent (no sequence id used). It never ends a transaction.
     */
    private boolean omitted(final RawEvent event) {
        if (!omits(EventHeader.type(event.bytes()))) {
            return false;
        }
        final ByteBuf payload = framing.eventPacket(event.bytes());
        followOwned(payload, true, false);
        payload.release();
        return true;
    }

    /** Whether events of this type are left out of the stream (Annotate_rows, when the replica did not ask for them). */
    private boolean omits(final int eventType) {
        return omitAnnotateRows && eventType == EventHeader.MARIADB_ANNOTATE_ROWS_EVENT;
    }

    /** A heartbeat with the current coordinates (sent while idle when the dump is served from the ring). */
    public List<Packet> heartbeat(final long masterServerId, final boolean crc32) {
        return event(
                framing.eventPacket(
                        SyntheticEvents.heartbeat(masterServerId, follower.file(), follower.offset(), crc32)),
                false);
    }

    /** The position the replica has received up to, in master coordinates. */
    public BinlogPosition position() {
        return follower.position();
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
            final Packet out = framing.endOfDump(packet.payload().retain());
            packet.release();
            return List.of(out);
        }
        final ByteBuf payload = packet.payload().retain();
        packet.release();
        return event(payload, false);
    }

    /** {@code payload} is {@code [0x00][event]}; owned here. {@code fromRing}: see {@link #follow}. */
    private List<Packet> event(final ByteBuf payload, final boolean fromRing) {
        return framing.eventPackets(payload, followOwned(payload, fromRing, false));
    }

    /** {@link #follow} on a buffer owned here: released if the event is malformed. */
    private boolean followOwned(final ByteBuf payload, final boolean fromRing, final boolean laterEndFollows) {
        try {
            return follow(payload, fromRing, laterEndFollows);
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
    }

    /**
     * Follows positions and transactions; returns whether this event ends a transaction (asks for an ACK).
     * {@code fromRing}: the event comes from the shared ring, whose tail reports its commit already;
     * {@code laterEndFollows}: see {@link #fromRing(RawEvent, boolean)}.
     */
    private boolean follow(final ByteBuf payload, final boolean fromRing, final boolean laterEndFollows) {
        final EventFollower.Step step = follower.follow(payload);
        switch (step) {
            case ROTATE -> {
                if (semiSync) {
                    acks.started(follower.position());
                }
                return false;
            }
            case SETUP -> {
                return false;
            }
            case STARTS -> {
                acks.transactionStarted();
                return false;
            }
            case OTHER, HEARTBEAT -> {
                // A heartbeat after a GTID dump skipped what the replica has matters most: a replica that connects up
                // to date acknowledges nothing, and without this its position would stay at the dump's start (the
                // first read in AFTER_SYNC would then wait for the whole timeout)
                acks.otherEvent(follower);
                return false;
            }
            case ENDS -> {
                transactionEnded = follower.position();
                if (reportCommits || !fromRing) {
                    tracker.transactionCommitted(follower.endedGtid(), transactionEnded);
                }
                if (!semiSync) {
                    return false;
                }
                acks.transactionEnded(transactionEnded);
                return !laterEndFollows && ackRequests.wanted(transactionEnded);
            }
            default -> throw new IllegalStateException(step.toString());
        }
    }

    /**
     * A packet from the replica during the dump: an ACK, or COM_QUIT ({@link ReplicaAcks#fromReplica}).
     *
     * @return false when the replica asked to quit
     */
    public boolean fromReplica(final Packet packet) {
        return acks.fromReplica(packet);
    }

    /** The replica's connection ended. */
    public void closed() {
        pending.forEach(ByteBuf::release);
        pending.clear();
        if (semiSync) {
            acks.closed(follower.position());
        }
    }
}
