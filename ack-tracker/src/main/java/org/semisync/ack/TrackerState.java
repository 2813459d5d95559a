package org.semisync.ack;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The semi-sync state machine, single-threaded and deterministic: every method is one input, {@code now} comes from the
 * caller. {@link AckTracker} feeds it its queued inputs, one thread at a time; tests call it directly with a fake
 * clock.
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

    private SemiSyncSettings settings;
    private final Replicas replicas = new Replicas();
    private final StatusCounters counters = new StatusCounters();
    private final Releases releases;
    private final WaitingCommits held;

    private boolean on;
    private boolean shutDown;
    private BinlogPosition newestCommitted;
    private BinlogPosition quorum;

    TrackerState(final SemiSyncSettings settings, final ReleaseObserver observer) {
        this.settings = settings;
        this.on = settings.enabled();
        this.releases = new Releases(counters, observer);
        this.held = new WaitingCommits(releases);
    }

    // ------------------------------------------------------------------ inputs

    /**
     * Holds a commit ({@link Waiter#forPosition}, {@link Waiter#forGtid}) or a response in AFTER_SYNC
     * ({@link Waiter#forRead}: like a commit for timeout, OFF and enforced, but counted apart from the plugin's
     * transaction counters) until the quorum covers its end position.
     */
    void await(final long now, final Waiter w) {
        if (w.type == TrackerEvent.Type.AWAIT_GTID) {
            // the tail may have reported it before the commit's OK arrived
            w.position = held.endOf(w.gtid);
        }
        if (!admit(now, w)) {
            return;
        }
        if (w.position != null) {
            enqueue(w, now);
        } else {
            held.byGtid(w.gtid, w);
        }
    }

    /** Common admission: returns false when the commit is released at once. */
    private boolean admit(final long now, final Waiter w) {
        counters.clock(now);
        final long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.timeoutMillis());
        w.start(now, now + timeoutNanos < now ? Long.MAX_VALUE : now + timeoutNanos);
        if (shutDown) {
            releases.release(w, ReleaseOutcome.SHUTDOWN, now);
            return false;
        }
        if (!settings.enabled()) {
            releases.release(w, ReleaseOutcome.DISABLED, now);
            return false;
        }
        if (on && !w.read()) {
            // the plugin counts every transaction written while ON (write_tranx_in_binlog), waited for or not
            counters.requestAck++;
        }
        if (tooFewReplicas()) {
            // wait_no_slave=OFF with no (too few) semi-sync replica: the plugin's commit_trx returns at once,
            // counted in no_tx, and the status stays as it is
            releases.release(w, ReleaseOutcome.ASYNC, now);
            return false;
        }
        if (!on && !settings.enforced()) {
            releases.release(w, ReleaseOutcome.ASYNC, now);
            return false;
        }
        if (w.position != null && quorum != null && quorum.covers(w.position)) {
            releases.release(w, ReleaseOutcome.ACKNOWLEDGED, now);
            return false;
        }
        if (w.read()) {
            counters.readsWaiting++;
            counters.readWaits++;
        } else {
            counters.waiting++;
        }
        w.counted = true;
        held.admit(w);
        return true;
    }

    private void enqueue(final Waiter w, final long now) {
        if (quorum != null && quorum.covers(w.position)) {
            releases.release(w, ReleaseOutcome.ACKNOWLEDGED, now);
            return;
        }
        if (held.byPosition(w)) {
            counters.waitPosBacktraverse++;
        }
    }

    void transactionCommitted(final long now, final Gtid gtid, final BinlogPosition end) {
        counters.clock(now);
        newestCommitted = BinlogPosition.max(newestCommitted, end);
        if (gtid == null) {
            return;
        }
        final List<Waiter> parked = held.resolve(gtid, end);
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
        counters.clock(now);
        if (packet) {
            counters.getAck++;
        }
        if (replicas.ack(now, replicaId, position, packet)) {
            quorumChanged(now);
        }
    }

    void replicaConnected(final long now, final String replicaId, final BinlogPosition start) {
        counters.clock(now);
        replicas.connect(now, replicaId, start);
        LOG.info("ack-tracker - replica {} connected at {} ({} semi-sync replicas)", replicaId, start, replicas.size());
        quorumChanged(now);
    }

    void replicaDisconnected(final long now, final String replicaId) {
        counters.clock(now);
        if (!replicas.disconnect(replicaId)) {
            return;
        }
        LOG.info("ack-tracker - replica {} disconnected ({} semi-sync replicas left)", replicaId, replicas.size());
        // what the quorum acknowledged stays acknowledged (the plugin's reply position never goes back)
        if (tooFewReplicas()) {
            // wait_no_slave=OFF: the last replica leaving wakes the waiting commits (no_tx); the status stays
            held.releaseAll(ReleaseOutcome.ASYNC, now);
        }
    }

    void configure(final long now, final SemiSyncSettings next) {
        counters.clock(now);
        final SemiSyncSettings previous = settings;
        settings = next;
        LOG.info("ack-tracker - settings changed: {}", next);
        if (previous.enabled() && !next.enabled()) {
            // the plugin's disable_master() goes through switch_off(), which counts an OFF time if it was ON
            if (on) {
                counters.noTimes++;
            }
            held.releaseAll(ReleaseOutcome.ASYNC, now);
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

    /**
     * When {@link #tick} next has something to time out: the oldest waiter's deadline, or {@code Long.MAX_VALUE}
     * when none waits or none can time out (enforced).
     */
    long nextDeadline() {
        return settings.enforced() ? Long.MAX_VALUE : held.earliestDeadline();
    }

    /** Times out waiters whose deadline passed. */
    void tick(final long now) {
        counters.clock(now);
        final Waiter first = held.expired(now, settings.enforced());
        if (first == null) {
            return;
        }
        LOG.warn(
                "ack-tracker - timeout waiting for ACK of {} after {} ms, semi-sync up to {}; switching to async",
                describe(first),
                TimeUnit.NANOSECONDS.toMillis(now - first.registeredNanos),
                quorum);
        releases.release(first, ReleaseOutcome.TIMED_OUT, now);
        // switching OFF releases every other waiter: there is no second expired one
        switchOff(now, "timeout");
    }

    /** An event was sent to a replica asking for its ACK (any thread). */
    void ackRequested() {
        counters.ackRequested();
    }

    /** {@code FLUSH STATUS}: see {@link StatusCounters#reset()}; the status and the clients stay. */
    void resetStats(final long now) {
        counters.clock(now);
        counters.reset();
    }

    void shutdown(final long now) {
        counters.clock(now);
        shutDown = true;
        held.releaseAll(ReleaseOutcome.SHUTDOWN, now);
    }

    // ------------------------------------------------------------------ rules

    private void quorumChanged(final long now) {
        // Never backwards, like the plugin's reply position: once the quorum acknowledged a position, commits at or
        // before it are covered, whether or not those replicas are still connected.
        quorum = BinlogPosition.max(quorum, replicas.quorum(settings.waitForSlaveCount()));
        if (quorum == null) {
            return;
        }
        held.releaseCovered(quorum, now);
        if (!on && settings.enabled() && (newestCommitted == null || quorum.covers(newestCommitted))) {
            on = true;
            LOG.info("ack-tracker - semi-sync switched ON at {}", quorum);
        }
    }

    /** wait_no_slave=OFF (not enforced) and fewer connected replicas than the quorum needs: commits do not wait. */
    private boolean tooFewReplicas() {
        return !settings.enforced() && !settings.waitNoSlave() && replicas.size() < settings.waitForSlaveCount();
    }

    private void switchOff(final long now, final String why) {
        if (on) {
            on = false;
            counters.noTimes++;
            LOG.warn(
                    "ack-tracker - semi-sync switched OFF ({}), {} commits released without ACK",
                    why,
                    counters.waiting);
        }
        held.releaseAll(ReleaseOutcome.ASYNC, now);
    }

    /**
     * Holds release callbacks back until {@link #dispatchDeferred()}: the tracker publishes its status snapshot
     * first, so that a client who got its OK after a timeout already reads the status as OFF.
     */
    void deferCallbacks() {
        releases.defer();
    }

    /** Calls {@code listener} (outcome DISABLED, not a commit) with the next dispatch of release callbacks. */
    void notifyAfterPublish(final Executor executor, final CommitListener listener) {
        releases.notify(executor, listener);
    }

    /** Runs the callbacks held back since the last call. */
    void dispatchDeferred() {
        releases.dispatch();
    }

    private static String describe(final Waiter w) {
        return w.gtid != null ? "GTID " + w.gtid + (w.position == null ? "" : " at " + w.position) : "" + w.position;
    }

    SemiSyncStatus snapshot() {
        return counters.snapshot(
                on && settings.enabled(), newestCommitted, quorum, held.lowestWaiting(), settings, replicas);
    }

    SemiSyncSettings settings() {
        return settings;
    }
}
