package org.semisync.ack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The semi-sync state machine, single-threaded and deterministic: every method is one input, {@code now} comes from
 * the caller. {@link AckTracker} feeds it from its ring on one thread; tests call it directly with a fake clock.
 *
 * <p>Rules (the plugin's, plus ours): a commit waits until the quorum position — the highest N-th highest watermark
 * among connected replicas ever reached, N = {@code wait_for_slave_count} — covers its end position, or until its deadline
 * (registration + timeout). A timeout switches semi-sync OFF and releases every waiter; while OFF nothing waits;
 * the status returns ON once the quorum position reaches the newest committed position. Enforced mode never
 * switches OFF. Waiters are kept ordered by position and an advance of the quorum releases exactly the covered
 * prefix.
 */
final class TrackerState {
    private static final Logger LOG = LoggerFactory.getLogger(TrackerState.class);

    /** GTID → end position reports remembered for waiters that register after the report. */
    static final int RECENT_COMMITS = 1 << 17;

    private SemiSyncSettings settings;
    private final Map<String, SemiSyncStatus.ReplicaView> replicas = new LinkedHashMap<>();
    private final NavigableMap<BinlogPosition, List<Waiter>> byPosition = new TreeMap<>();
    private final Map<Gtid, List<Waiter>> unresolved = new HashMap<>();
    /** Waiters by deadline; released ones are dropped lazily when they reach the head. */
    private final PriorityQueue<Waiter> byDeadline =
            new PriorityQueue<>((a, b) -> Long.compare(a.deadlineNanos, b.deadlineNanos));

    private final LinkedHashMap<Gtid, BinlogPosition> recentCommits = new LinkedHashMap<>(1 << 10, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<Gtid, BinlogPosition> eldest) {
            return size() > RECENT_COMMITS;
        }
    };
    private final ReleaseObserver observer;

    private boolean on;
    private boolean shutDown;
    private BinlogPosition newestCommitted;
    private BinlogPosition quorum;
    private int waiting;
    private long lastNow = Long.MIN_VALUE;
    private long yesTx;
    private long noTx;
    private long noTimes;
    private long timefuncFailures;
    private long txWaitTimeMicros;
    private long txWaits;
    /** {@code _net_waits}: events sent asking for an ACK (the plugin counts them in flush_net); any thread adds. */
    private final java.util.concurrent.atomic.LongAdder ackRequests = new java.util.concurrent.atomic.LongAdder();

    private long waitPosBacktraverse;
    private long getAck;
    private long requestAck;
    private int readsWaiting;
    private long readWaits;

    TrackerState(final SemiSyncSettings settings, final ReleaseObserver observer) {
        this.settings = settings;
        this.on = settings.enabled();
        this.observer = observer;
    }

    // ------------------------------------------------------------------ inputs

    void awaitPosition(final long now, final BinlogPosition end, final Executor executor, final CommitListener l) {
        final Waiter w = admit(now, executor, l, null, end, false);
        if (w != null) {
            enqueue(w, now);
        }
    }

    /**
     * Holds a response (AFTER_SYNC) until the quorum covers {@code position}: like a commit (timeout, OFF,
     * enforced), but counted apart from the plugin's transaction counters.
     */
    void awaitRead(final long now, final BinlogPosition position, final Executor executor, final CommitListener l) {
        final Waiter w = admit(now, executor, l, null, position, true);
        if (w != null) {
            enqueue(w, now);
        }
    }

    void awaitGtid(final long now, final Gtid gtid, final Executor executor, final CommitListener l) {
        final BinlogPosition known = recentCommits.get(gtid);
        final Waiter w = admit(now, executor, l, gtid, known, false);
        if (w == null) {
            return;
        }
        if (known != null) {
            enqueue(w, now);
        } else {
            unresolved.computeIfAbsent(gtid, g -> new ArrayList<>(1)).add(w);
        }
    }

    /** Common admission: returns null when the commit is released at once. */
    private Waiter admit(
            final long now,
            final Executor executor,
            final CommitListener listener,
            final Gtid gtid,
            final BinlogPosition position,
            final boolean read) {
        clock(now);
        final long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.timeoutMillis());
        final long deadline = now + timeoutNanos < now ? Long.MAX_VALUE : now + timeoutNanos;
        final Waiter w = new Waiter(executor, listener, now, deadline, gtid, position);
        w.read = read;
        if (shutDown) {
            release(w, ReleaseOutcome.SHUTDOWN, now);
            return null;
        }
        if (!settings.enabled()) {
            release(w, ReleaseOutcome.DISABLED, now);
            return null;
        }
        if (on && !read) {
            // the plugin counts every transaction written while ON (write_tranx_in_binlog), waited for or not
            requestAck++;
        }
        if (tooFewReplicas()) {
            // wait_no_slave=OFF with no (too few) semi-sync replica: the plugin's commit_trx returns at once,
            // counted in no_tx, and the status stays as it is
            release(w, ReleaseOutcome.ASYNC, now);
            return null;
        }
        if (!on && !settings.enforced()) {
            release(w, ReleaseOutcome.ASYNC, now);
            return null;
        }
        if (position != null && quorum != null && quorum.covers(position)) {
            release(w, ReleaseOutcome.ACKNOWLEDGED, now);
            return null;
        }
        if (read) {
            readsWaiting++;
            readWaits++;
        } else {
            waiting++;
        }
        w.counted = true;
        byDeadline.add(w);
        return w;
    }

    private void enqueue(final Waiter w, final long now) {
        if (quorum != null && quorum.covers(w.position)) {
            release(w, ReleaseOutcome.ACKNOWLEDGED, now);
            return;
        }
        if (!byPosition.isEmpty() && w.position.compareTo(byPosition.firstKey()) < 0) {
            waitPosBacktraverse++;
        }
        byPosition.computeIfAbsent(w.position, p -> new ArrayList<>(1)).add(w);
    }

    void transactionCommitted(final long now, final Gtid gtid, final BinlogPosition end) {
        clock(now);
        newestCommitted = BinlogPosition.max(newestCommitted, end);
        if (gtid == null) {
            return;
        }
        recentCommits.put(gtid, end);
        final List<Waiter> parked = unresolved.remove(gtid);
        if (parked != null) {
            for (Waiter w : parked) {
                if (!w.released) {
                    w.position = end;
                    enqueue(w, now);
                }
            }
        }
    }

    void ack(final long now, final String replicaId, final BinlogPosition position) {
        ack(now, replicaId, position, true);
    }

    /**
     * @param packet an ACK packet from the replica (counted); false for an extension of the replica's last ACK over
     *     events that hold no transaction (moves the watermark only)
     */
    void ack(final long now, final String replicaId, final BinlogPosition position, final boolean packet) {
        clock(now);
        if (packet) {
            getAck++;
        }
        final int counted = packet ? 1 : 0;
        final SemiSyncStatus.ReplicaView replica = replicas.get(replicaId);
        if (replica == null) {
            LOG.debug("ack-tracker - ACK {} from unknown replica {} ignored", position, replicaId);
            return;
        }
        if (replica.watermark() != null && position.compareTo(replica.watermark()) <= 0) {
            // an ACK that does not advance (duplicate or backwards) is counted but changes nothing
            replicas.put(
                    replicaId,
                    new SemiSyncStatus.ReplicaView(replicaId, replica.watermark(), replica.acks() + counted, now));
            return;
        }
        replicas.put(replicaId, new SemiSyncStatus.ReplicaView(replicaId, position, replica.acks() + counted, now));
        quorumChanged(now);
    }

    void replicaConnected(final long now, final String replicaId, final BinlogPosition start) {
        clock(now);
        final SemiSyncStatus.ReplicaView old = replicas.get(replicaId);
        final BinlogPosition watermark = old == null ? start : BinlogPosition.max(old.watermark(), start);
        replicas.put(
                replicaId, new SemiSyncStatus.ReplicaView(replicaId, watermark, old == null ? 0 : old.acks(), now));
        LOG.info("ack-tracker - replica {} connected at {} ({} semi-sync replicas)", replicaId, start, replicas.size());
        quorumChanged(now);
    }

    void replicaDisconnected(final long now, final String replicaId) {
        clock(now);
        if (replicas.remove(replicaId) == null) {
            return;
        }
        LOG.info("ack-tracker - replica {} disconnected ({} semi-sync replicas left)", replicaId, replicas.size());
        // what the quorum acknowledged stays acknowledged (the plugin's reply position never goes back)
        if (tooFewReplicas()) {
            // wait_no_slave=OFF: the last replica leaving wakes the waiting commits (no_tx); the status stays
            releaseAll(now, ReleaseOutcome.ASYNC);
        }
    }

    void configure(final long now, final SemiSyncSettings next) {
        clock(now);
        final SemiSyncSettings previous = settings;
        settings = next;
        LOG.info("ack-tracker - settings changed: {}", next);
        if (previous.enabled() && !next.enabled()) {
            // the plugin's disable_master() goes through switch_off(), which counts an OFF time if it was ON
            if (on) {
                noTimes++;
            }
            releaseAll(now, ReleaseOutcome.ASYNC);
            on = false;
            return;
        }
        if (!previous.enabled() && next.enabled()) {
            on = true;
        }
        if (next.enforced() && !on && next.enabled()) {
            on = true;
        }
        // a changed wait_no_slave does not wake waiting commits (the plugin checks it when they wake)
        quorumChanged(now);
    }

    /** Times out waiters whose deadline passed. */
    void tick(final long now) {
        clock(now);
        Waiter first;
        while ((first = byDeadline.peek()) != null && (first.released || first.deadlineNanos <= now)) {
            if (!first.released && settings.enforced()) {
                return;
            }
            byDeadline.poll();
            if (first.released) {
                continue;
            }
            LOG.warn(
                    "ack-tracker - timeout waiting for ACK of {} after {} ms, semi-sync up to {}; switching to async",
                    describe(first),
                    TimeUnit.NANOSECONDS.toMillis(now - first.registeredNanos),
                    quorum);
            release(first, ReleaseOutcome.TIMED_OUT, now);
            switchOff(now, "timeout");
        }
    }

    /** An event was sent to a replica asking for its ACK (any thread). */
    void ackRequested() {
        ackRequests.increment();
    }

    /**
     * {@code FLUSH STATUS}, as MariaDB 11.4's plugin answers it (measured by the parity suite): yes_tx, no_tx and
     * no_times (and the clock and back-traverse counters) start again from 0; request_ack, get_ack, net_waits and the
     * wait counters do not, nor the status or the clients.
     */
    void resetStats(final long now) {
        clock(now);
        yesTx = 0;
        noTx = 0;
        noTimes = 0;
        timefuncFailures = 0;
        waitPosBacktraverse = 0;
    }

    void shutdown(final long now) {
        clock(now);
        shutDown = true;
        releaseAll(now, ReleaseOutcome.SHUTDOWN);
    }

    // ------------------------------------------------------------------ rules

    private void quorumChanged(final long now) {
        // Never backwards, like the plugin's reply position: once the quorum acknowledged a position, commits at or
        // before it are covered, whether or not those replicas are still connected.
        quorum = BinlogPosition.max(quorum, computeQuorum());
        if (quorum == null) {
            return;
        }
        final NavigableMap<BinlogPosition, List<Waiter>> covered = byPosition.headMap(quorum, true);
        for (Iterator<List<Waiter>> it = covered.values().iterator(); it.hasNext(); ) {
            for (Waiter w : it.next()) {
                if (!w.released) {
                    release(w, ReleaseOutcome.ACKNOWLEDGED, now);
                }
            }
            it.remove();
        }
        if (!on && settings.enabled() && (newestCommitted == null || quorum.covers(newestCommitted))) {
            on = true;
            LOG.info("ack-tracker - semi-sync switched ON at {}", quorum);
        }
    }

    /** The N-th highest watermark among connected replicas, or null with fewer than N. */
    private BinlogPosition computeQuorum() {
        final int n = settings.waitForSlaveCount();
        if (replicas.size() < n) {
            return null;
        }
        final List<BinlogPosition> marks = new ArrayList<>(replicas.size());
        for (SemiSyncStatus.ReplicaView r : replicas.values()) {
            if (r.watermark() != null) {
                marks.add(r.watermark());
            }
        }
        if (marks.size() < n) {
            return null;
        }
        marks.sort(null);
        return marks.get(marks.size() - n);
    }

    /** wait_no_slave=OFF (not enforced) and fewer connected replicas than the quorum needs: commits do not wait. */
    private boolean tooFewReplicas() {
        return !settings.enforced() && !settings.waitNoSlave() && replicas.size() < settings.waitForSlaveCount();
    }

    private void switchOff(final long now, final String why) {
        if (on) {
            on = false;
            noTimes++;
            LOG.warn("ack-tracker - semi-sync switched OFF ({}), {} commits released without ACK", why, waiting);
        }
        releaseAll(now, ReleaseOutcome.ASYNC);
    }

    private void releaseAll(final long now, final ReleaseOutcome outcome) {
        for (Waiter w : byDeadline) {
            if (!w.released) {
                release(w, outcome, now);
            }
        }
        byDeadline.clear();
        byPosition.clear();
        unresolved.clear();
    }

    private void release(final Waiter w, final ReleaseOutcome outcome, final long now) {
        final boolean wasWaiting = w.counted;
        w.released = true;
        final long waited = Math.max(0, now - w.registeredNanos);
        if (w.read) {
            if (wasWaiting) {
                readsWaiting--;
            }
            final CommitListener listener = w.listener;
            defer(w.executor, () -> listener.released(outcome, waited));
            return;
        }
        if (wasWaiting) {
            waiting--;
        }
        switch (outcome) {
            case ACKNOWLEDGED -> {
                yesTx++;
                if (wasWaiting) {
                    txWaits++;
                    txWaitTimeMicros += TimeUnit.NANOSECONDS.toMicros(waited);
                }
            }
            case TIMED_OUT, ASYNC, SHUTDOWN -> noTx++;
            case DISABLED -> {
                /* not a semi-sync transaction, as in the plugin */
            }
        }
        observer.released(outcome, waited);
        final CommitListener listener = w.listener;
        final Executor executor = w.executor;
        defer(executor, () -> listener.released(outcome, waited));
    }

    /**
     * Holds release callbacks back until {@link #dispatchDeferred()}: the tracker publishes its status snapshot
     * first, so that a client who got its OK after a timeout already reads the status as OFF.
     */
    void deferCallbacks() {
        deferCallbacks = true;
    }

    /** Calls {@code listener} (outcome DISABLED, not a commit) with the next dispatch of release callbacks. */
    void notifyAfterPublish(final Executor executor, final CommitListener listener) {
        defer(executor, () -> listener.released(ReleaseOutcome.DISABLED, 0));
    }

    private void defer(final Executor executor, final Runnable callback) {
        if (deferCallbacks) {
            deferred.add(executor);
            deferred.add(callback);
        } else {
            dispatch(executor, callback);
        }
    }

    /** Runs the callbacks held back since the last call. */
    void dispatchDeferred() {
        for (int i = 0; i < deferred.size(); i += 2) {
            dispatch((Executor) deferred.get(i), (Runnable) deferred.get(i + 1));
        }
        deferred.clear();
    }

    private static void dispatch(final Executor executor, final Runnable callback) {
        try {
            executor.execute(callback);
        } catch (RuntimeException e) {
            // a rejected executor (e.g. a closed event loop) must not stop the tracker: the client is gone anyway
            LOG.debug("ack-tracker - release callback rejected: {}", e.toString());
        }
    }

    private boolean deferCallbacks;
    /** Executor, callback, executor, callback, … */
    private final List<Object> deferred = new ArrayList<>();

    private void clock(final long now) {
        if (now < lastNow) {
            timefuncFailures++;
        } else {
            lastNow = now;
        }
    }

    private static String describe(final Waiter w) {
        return w.gtid != null ? "GTID " + w.gtid + (w.position == null ? "" : " at " + w.position) : "" + w.position;
    }

    // ------------------------------------------------------------------ snapshot

    SemiSyncStatus snapshot() {
        return new SemiSyncStatus(
                on && settings.enabled(),
                replicas.size(),
                yesTx,
                noTx,
                noTimes,
                timefuncFailures,
                txWaitTimeMicros,
                txWaits,
                ackRequests.sum(),
                0, // _net_wait_time: the plugin declares it and never adds to it
                waiting,
                waitPosBacktraverse,
                getAck,
                requestAck,
                newestCommitted,
                quorum,
                settings,
                List.copyOf(replicas.values()),
                readsWaiting,
                readWaits);
    }

    SemiSyncSettings settings() {
        return settings;
    }
}
