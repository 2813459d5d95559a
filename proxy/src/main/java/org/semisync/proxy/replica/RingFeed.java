package org.semisync.proxy.replica;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.semisync.ack.BinlogPosition;
import org.semisync.proxy.binlog.BinlogRing;
import org.semisync.proxy.binlog.CatchUpDump;
import org.semisync.proxy.binlog.RawEvent;
import org.semisync.proxy.binlog.RelayHub;
import org.semisync.proxy.protocol.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a replica's dump from the shared ring once it has joined: reads the ring by sequence at the replica's own
 * pace on its event loop, writes only while the channel is writable (a slow or stuck replica holds nothing but its
 * own cursor), and sends heartbeats with the master's coordinates when idle for the replica's heartbeat period.
 *
 * <p>A replica that falls behind the ring (its next event dropped) just lags: the feed opens a master dump for it in
 * file/position mode from exactly where its stream is ({@link CatchUpDump}) and goes on with those events, framed the
 * same way, so the replica sees one continuous stream on the same connection (no second Rotate or Format_description:
 * the dump's preamble is dropped); once that dump reaches the newer half of the ring, the feed closes it and reads the
 * ring again. Only a tail that failed, or a catch-up dump that cannot go on, ends the connection.
 */
public final class RingFeed {
    private static final Logger LOG = LoggerFactory.getLogger(RingFeed.class);
    /** The heartbeat period when the replica asked for none (MariaDB's default is slave_net_timeout / 2). */
    private static final long DEFAULT_HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** At most one fell-behind incident per replica is logged per this time; the next line counts the others. */
    static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * The ring's events for a replica go out in buffers of up to this many bytes, several packets each, copied there
     * from the ring's arena (larger events in buffers of their own): a transaction's dozen events cost one allocation
     * and one write, not a dozen of each.
     */
    public static final int BATCH_BYTES = 32 * 1024;

    private final RelayHub hub;
    private final BinlogRing ring;
    private final DumpStream dump;
    private final Channel replica;
    /** Holds an asynchronous replica at the quorum's position (AFTER_SYNC); null for a semi-sync replica. */
    private final AsyncReplicaGate gate;

    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable wakeUp = this::scheduleDrain;
    private long cursor;
    /** Packets appended since the last write to the channel; null when none. */
    private ByteBuf batch;

    private boolean sentSinceHeartbeat;
    private boolean stopped;
    private ScheduledFuture<?> heartbeat;
    /** The master dump serving the replica since it fell behind the ring; null while the ring serves it. */
    private CatchUpDump catchUp;
    /** Counts catch-up dumps opened, so that a late failure report of an earlier one is ignored. */
    private long catchUps;

    private long catchUpEvents;
    private long catchUpBytes;
    private long catchUpStarted;
    /** Whether the current catch-up was logged (at most one per {@link #REPORT_INTERVAL_NANOS}: a ring too small for
     * the load can send a replica back and forth several times a second). */
    private boolean catchUpReported;

    private long lastReport = System.nanoTime() - REPORT_INTERVAL_NANOS;
    /** Catch-ups since the last one logged. */
    private long unreported;

    public RingFeed(
            final RelayHub hub,
            final DumpStream dump,
            final Channel replica,
            final AsyncReplicaGate gate,
            final long startSequence) {
        this.hub = hub;
        this.ring = hub.ring();
        this.dump = dump;
        this.replica = replica;
        this.gate = gate;
        this.cursor = startSequence;
    }

    /** Starts serving; on the replica's event loop. */
    public void start() {
        ring.addReader(wakeUp);
        final long period = dump.heartbeatNanos() > 0 ? dump.heartbeatNanos() : DEFAULT_HEARTBEAT_NANOS;
        heartbeat = replica.eventLoop().scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.NANOSECONDS);
        LOG.info("replica - {} joined the ring at {} (sequence {})", dump.replicaId(), dump.position(), cursor);
        drain();
    }

    /** Writes what the ring (or the catch-up dump) has for this replica while the channel takes it; on the event loop. */
    public void drain() {
        if (stopped) {
            return;
        }
        boolean wrote = false;
        try {
            wrote = drainWhileWritable();
        } finally {
            writeBatch();
        }
        if (wrote) {
            sentSinceHeartbeat = true;
            replica.flush();
        }
    }

    private boolean drainWhileWritable() {
        boolean wrote = false;
        while (replica.isWritable() && (gate == null || !gate.holding())) {
            if (catchUp != null) {
                final RawEvent event = catchUp.poll();
                if (event == null) {
                    break;
                }
                writeBatch();
                write(event, false);
                wrote = true;
                catchUpEvents++;
                catchUpBytes += event.bytes().length;
                final BinlogPosition at = dump.position();
                final long sequence = hub.rejoinAt(at.file(), at.offset());
                if (sequence >= 0) {
                    rejoin(sequence);
                }
                continue;
            }
            if (cursor > ring.published()) {
                break;
            }
            // a later transaction end is already in the ring: its ACK will cover this one (see DumpStream#fromRing)
            if (!fromRing(cursor, ring.newestTransactionEnd() > cursor)) {
                fellBehind();
                continue;
            }
            cursor++;
            wrote = true;
        }
        return wrote;
    }

    /**
     * Appends the ring's event at {@code sequence} to the batch, writing the batch first when full; or writes it alone
     * (large, or gated). Returns false when the event was dropped from the ring.
     */
    private boolean fromRing(final long sequence, final boolean laterEndFollows) {
        if (gate == null) {
            if (batch == null) {
                batch = replica.alloc().ioBuffer(BATCH_BYTES, BATCH_BYTES);
            }
            int appended = dump.appendFromRing(ring, sequence, laterEndFollows, batch);
            if (appended == BinlogRing.NO_ROOM && batch.isReadable()) {
                // full: out it goes, and the event starts the next one
                writeBatch();
                batch = replica.alloc().ioBuffer(BATCH_BYTES, BATCH_BYTES);
                appended = dump.appendFromRing(ring, sequence, laterEndFollows, batch);
            }
            if (appended != BinlogRing.NO_ROOM) {
                return appended != BinlogRing.DROPPED;
            }
        }
        // larger than a batch, or gated: alone
        writeBatch();
        final RawEvent event = ring.read(sequence);
        if (event == null) {
            return false;
        }
        write(event, laterEndFollows);
        return true;
    }

    private void writeBatch() {
        if (batch == null) {
            return;
        }
        if (batch.isReadable()) {
            replica.write(batch, replica.voidPromise());
        } else {
            batch.release();
        }
        batch = null;
    }

    private void write(final RawEvent event, final boolean laterEndFollows) {
        final List<Packet> packets = dump.fromRing(event, laterEndFollows);
        if (gate != null) {
            gate.send(packets, dump.transactionEnded());
            return;
        }
        for (Packet p : packets) {
            replica.write(p, replica.voidPromise());
        }
    }

    /** The replica's next event left the ring: continue from the master's dump, from exactly where its stream is. */
    private void fellBehind() {
        final BinlogPosition at = dump.position();
        final long now = System.nanoTime();
        catchUpReported = now - lastReport >= REPORT_INTERVAL_NANOS;
        if (catchUpReported) {
            LOG.warn(
                    "replica - {} fell behind the ring (at most {} bytes in {} slots) at {}; it lags on, served by a"
                            + " master dump of its own from there until it reaches the ring again{}",
                    dump.replicaId(),
                    ring.maxBytes(),
                    ring.size(),
                    at,
                    unreported == 0
                            ? ""
                            : " (" + unreported + " more time(s) in the last "
                                    + TimeUnit.NANOSECONDS.toSeconds(now - lastReport) + " s, not logged)");
            lastReport = now;
            unreported = 0;
        } else {
            unreported++;
            LOG.debug("replica - {} fell behind the ring at {}", dump.replicaId(), at);
        }
        ring.removeReader(wakeUp);
        final long generation = ++catchUps;
        catchUpEvents = 0;
        catchUpBytes = 0;
        catchUpStarted = System.nanoTime();
        catchUp = hub.catchUp(
                Long.parseLong(dump.replicaId()),
                at.file(),
                at.offset(),
                wakeUp,
                cause -> catchUpFailed(generation, at, cause),
                replica.eventLoop());
    }

    private void rejoin(final long sequence) {
        catchUp.close();
        catchUp = null;
        cursor = sequence;
        ring.addReader(wakeUp);
        final String format = "replica - {} back on the ring at {} (sequence {}) after {} events ({} bytes) from the"
                + " master's dump in {} ms";
        final Object[] args = {
            dump.replicaId(),
            dump.position(),
            sequence,
            catchUpEvents,
            catchUpBytes,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - catchUpStarted)
        };
        if (catchUpReported) {
            LOG.info(format, args);
        } else {
            LOG.debug(format, args);
        }
    }

    private void catchUpFailed(final long generation, final BinlogPosition from, final Throwable cause) {
        if (stopped || catchUp == null || generation != catchUps) {
            return; // the replica left, or that dump was closed on purpose
        }
        LOG.warn(
                "replica - {}: its master dump from {} stopped ({}); closing its connection so that it reconnects",
                dump.replicaId(),
                from,
                cause.toString());
        replica.close();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            replica.eventLoop().execute(() -> {
                drainScheduled.set(false);
                drain();
            });
        }
    }

    private void heartbeat() {
        if (hub.failure() != null) {
            LOG.warn(
                    "replica - {}: the binlog tail stopped ({}); closing it",
                    dump.replicaId(),
                    hub.failure().toString());
            replica.close();
            return;
        }
        // while a transaction end is held, the stream's position is past what the replica has
        final boolean held = gate != null && gate.holding();
        if (!sentSinceHeartbeat && !held && replica.isWritable() && dump.position() != null) {
            dump.heartbeat(hub.masterServerId(), hub.crc32()).forEach(replica::write);
            replica.flush();
        }
        sentSinceHeartbeat = false;
    }

    /** A hold of the gate ended: go on reading. */
    public void resume() {
        scheduleDrain();
    }

    /** The replica's connection ended. */
    public void stop() {
        stopped = true;
        ring.removeReader(wakeUp);
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (catchUp != null) {
            catchUp.close();
            catchUp = null;
        }
    }
}
