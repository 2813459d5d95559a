package org.semisync.proxy.replica;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.semisync.proxy.binlog.BinlogRing;
import org.semisync.proxy.binlog.RawEvent;
import org.semisync.proxy.binlog.RelayHub;
import org.semisync.proxy.protocol.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a replica's dump from the shared ring once it has joined: reads the ring by sequence at the replica's own
 * pace on its event loop, writes only while the channel is writable (a slow or stuck replica holds nothing but its
 * own cursor), and sends heartbeats with the master's coordinates when idle for the replica's heartbeat period. A
 * replica that falls a ring-length behind (its next event overwritten), or a tail that failed, ends the connection:
 * the replica reconnects and catches up through the master's own dump, then joins again.
 */
public final class RingFeed {
    private static final Logger LOG = LoggerFactory.getLogger(RingFeed.class);
    /** The heartbeat period when the replica asked for none (MariaDB's default is slave_net_timeout / 2). */
    private static final long DEFAULT_HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final RelayHub hub;
    private final BinlogRing ring;
    private final DumpStream dump;
    private final Channel replica;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable wakeUp = this::scheduleDrain;
    private long cursor;
    private boolean sentSinceHeartbeat;
    private boolean stopped;
    private ScheduledFuture<?> heartbeat;

    public RingFeed(final RelayHub hub, final DumpStream dump, final Channel replica, final long startSequence) {
        this.hub = hub;
        this.ring = hub.ring();
        this.dump = dump;
        this.replica = replica;
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

    /** Writes what the ring has for this replica while the channel takes it; on the event loop. */
    public void drain() {
        if (stopped) {
            return;
        }
        boolean wrote = false;
        while (replica.isWritable() && cursor <= ring.published()) {
            final RawEvent event = ring.read(cursor);
            if (event == null) {
                LOG.warn(
                        "replica - {} fell a ring-length ({} events) behind at {}; closing it so that it catches up"
                                + " through the master",
                        dump.replicaId(),
                        ring.size(),
                        dump.position());
                replica.close();
                return;
            }
            for (Packet p : dump.fromRing(event)) {
                replica.write(p, replica.voidPromise());
            }
            cursor++;
            wrote = true;
        }
        if (wrote) {
            sentSinceHeartbeat = true;
            replica.flush();
        }
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
        if (!sentSinceHeartbeat && replica.isWritable() && dump.position() != null) {
            dump.heartbeat(hub.masterServerId(), hub.crc32()).forEach(replica::write);
            replica.flush();
        }
        sentSinceHeartbeat = false;
    }

    /** The replica's connection ended. */
    public void stop() {
        stopped = true;
        ring.removeReader(wakeUp);
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
    }
}
