package org.semisync.proxy.binlog;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.net.EventLoops;
import org.semisync.proxy.upstream.TailOptions;
import org.semisync.proxy.upstream.UpstreamTail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared relay: one {@link UpstreamTail} from the master, on one of the proxy's event loops, feeding one {@link
 * BinlogRing}, which reports every transaction's end to the ack-tracker. A replica's dump starts as the master's own
 * dump relayed through the proxy (so the master authenticates it, resolves its GTID state and serves any catch-up),
 * and joins the ring as soon as its stream reaches a position the ring holds ({@link #joinAt}); from then on the
 * master serves one dump however many replicas there are. Thread-safe.
 */
public final class RelayHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayHub.class);

    private final BinlogRing ring;
    private final UpstreamTail tail;
    private final HostPort master;
    private final String user;
    private final String password;
    private final EventLoops loops;
    /** Master connection id the replica believes serves its dump → the replica's channel (for KILL). */
    private final Map<Long, Channel> ringDumps = new ConcurrentHashMap<>();

    private volatile RawEvent last;
    private final AtomicLong catchUps = new AtomicLong();

    private RelayHub(
            final BinlogRing ring,
            final UpstreamTail tail,
            final HostPort master,
            final String user,
            final String password,
            final EventLoops loops) {
        this.ring = ring;
        this.tail = tail;
        this.master = master;
        this.user = user;
        this.password = password;
        this.loops = loops;
    }

    /** Registered replicas by connection; entries leave when their connection closes. */
    private final Map<Channel, ReplicaHost> hosts = new ConcurrentHashMap<>();

    /**
     * Starts the tail at the master's current binlog end.
     *
     * @param serverId the tail's server_id (must differ from the master's and every replica's)
     * @param ringBytes the most bytes of events the ring holds
     * @param loops the tail runs on one of them (the replicas' sessions are on them too)
     */
    public static RelayHub start(
            final HostPort master,
            final String user,
            final String password,
            final long serverId,
            final long ringBytes,
            final AckTracker tracker,
            final EventLoops loops)
            throws IOException, TimeoutException {
        final BinlogRing ring = new BinlogRing(ringBytes, new AckTrackerEvents(tracker));
        final RelayHub[] hub = new RelayHub[1];
        final UpstreamTail tail = new UpstreamTail(
                master,
                user,
                password,
                serverId,
                loops.group().next(),
                loops.transport().socketChannel(),
                event -> {
                    hub[0].last = event;
                    ring.publish(event);
                },
                TailOptions.SHARED);
        hub[0] = new RelayHub(ring, tail, master, user, password, loops);
        try {
            tail.startAt(null, 4, 10_000);
        } catch (IOException | TimeoutException | RuntimeException e) {
            ring.close();
            throw e;
        }
        LOG.info(
                "relay - tail started at {}:{}, ring of {} bytes ({} slots)",
                tail.file(),
                tail.position(),
                ringBytes,
                ring.size());
        return hub[0];
    }

    /**
     * The ring sequence from which a replica whose stream has reached {@code file:position} (an event boundary) can
     * continue without a gap or a duplicate, or -1 when the ring does not hold that point (yet, or any more).
     *
     * @param gtidMode whether the replica's dump was asked for by GTID state
     */
    public long joinAt(final String file, final long position, final boolean gtidMode) {
        if (!tail.streaming()) {
            return -1; // stopped, or reconnecting to a restarted master: the ring would not move on
        }
        final long published = ring.published();
        if (published < 0) {
            return -1;
        }
        final RawEvent newest = ring.read(published);
        if (newest != null && newest.file().equals(file) && newest.endPosition() == position) {
            return published + 1; // the replica is exactly where the tail is: continue with what comes next
        }
        // A GTID-mode dump skips the transactions the replica already has, so a point inside the ring may be
        // followed by events it must not get twice; it joins only where nothing follows yet.
        return gtidMode ? -1 : ring.find(file, position);
    }

    /**
     * Where a replica that left the ring for a master dump of its own, now at {@code file:position} (an event boundary),
     * can continue from the ring: the sequence of the event starting there, or right after the newest, or -1. Only in
     * the newer half of what the ring holds, so that a replica just back does not fall behind again at once (and the
     * ring is searched only over that half).
     */
    public long rejoinAt(final String file, final long position) {
        if (tail.failure() != null) {
            return -1;
        }
        final long published = ring.published();
        if (published < 0) {
            return -1;
        }
        final long oldest = ring.oldest();
        final RawEvent middle = ring.read(oldest + (published - oldest) / 2);
        if (middle == null
                || new BinlogPosition(file, position)
                                .compareTo(new BinlogPosition(middle.file(), middle.startPosition()))
                        < 0) {
            return -1;
        }
        return joinAt(file, position, false);
    }

    /**
     * Opens a master dump in file/position mode from {@code file:position} for a replica that fell behind the ring, as
     * the replication user and with the replica's server_id, on the replica's event loop {@code loop}.
     */
    public CatchUpDump catchUp(
            final long replicaServerId,
            final String file,
            final long position,
            final Runnable wakeUp,
            final Consumer<Throwable> onStop,
            final EventLoop loop) {
        final CatchUpDump dump = new CatchUpDump(
                master,
                user,
                password,
                replicaServerId,
                file,
                position,
                wakeUp,
                onStop,
                loop,
                loops.transport().socketChannel());
        catchUps.incrementAndGet();
        dump.start();
        return dump;
    }

    /** Master dumps opened so far for replicas that fell behind the ring. */
    public long catchUpDumps() {
        return catchUps.get();
    }

    public BinlogRing ring() {
        return ring;
    }

    /** Whether the master's events carry CRC32. */
    public boolean crc32() {
        return tail.crc32();
    }

    /** The master's server_id, from the newest event (0 before the first). */
    public long masterServerId() {
        final RawEvent e = last;
        return e == null ? 0 : EventHeader.serverId(e.bytes());
    }

    /** Whether the tail's dump connection to the master is up (so the master is reachable). */
    public boolean streaming() {
        return tail.streaming();
    }

    /** Times the tail's dump connection was lost and opened again. */
    public long tailReconnects() {
        return tail.reconnects();
    }

    /** Where the tail is in the master's binlog, {@code file:position}. */
    public String tailPosition() {
        return tail.file() + ":" + tail.position();
    }

    /** Why the tail stopped, or null while it runs. */
    public Throwable failure() {
        return tail.failure();
    }

    /** Notes that {@code replica} is served from the ring where the replica thinks connection {@code id} serves it. */
    public void servedFromRing(final long masterConnectionId, final Channel replica) {
        ringDumps.put(masterConnectionId, replica);
        replica.closeFuture().addListener(f -> ringDumps.remove(masterConnectionId, replica));
    }

    /** A replica as COM_REGISTER_SLAVE described it, for SHOW SLAVE HOSTS. */
    public record ReplicaHost(long serverId, String host, int port) {}

    /** Notes a replica's registration until its connection closes. */
    public void registered(final Channel replica, final ReplicaHost host) {
        hosts.put(replica, host);
        replica.closeFuture().addListener(f -> hosts.remove(replica, host));
    }

    /** The replicas registered through this proxy now, by server id (what SHOW SLAVE HOSTS lists). */
    public List<ReplicaHost> replicaHosts() {
        final List<ReplicaHost> list = new ArrayList<>(hosts.values());
        list.sort(Comparator.comparingLong(ReplicaHost::serverId));
        return list;
    }

    /** Replica dumps served from the ring now. */
    public int ringServedDumps() {
        return ringDumps.size();
    }

    /**
     * Ends the ring-served dump the replica knows as master connection {@code id} (a replica's STOP SLAVE sends KILL
     * for it); false when no such dump is served here.
     */
    public boolean kill(final long masterConnectionId) {
        final Channel replica = ringDumps.remove(masterConnectionId);
        if (replica == null) {
            return false;
        }
        replica.close();
        return true;
    }

    @Override
    public void close() {
        tail.close();
        ring.close();
    }
}
