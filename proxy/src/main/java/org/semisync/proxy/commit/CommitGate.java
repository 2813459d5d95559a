package org.semisync.proxy.commit;

import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.Gtid;
import org.semisync.proxy.protocol.OkPacket;
import org.semisync.proxy.protocol.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a client's commit OK until the {@link AckTracker} releases it: enough replicas acknowledged the transaction,
 * or the timeout passed, or semi-sync is OFF. Two ways to know what to wait for:
 *
 * <ul>
 *   <li><b>GTID tracking</b> (the master reports each transaction's GTID in its OK): an OK carrying a GTID is held
 *       until the tracker has an ACK covering that GTID. Statements that binlogged nothing carry none and pass.
 *   <li><b>Position probe</b> (masters or clients without tracking): when a response ends that may have committed —
 *       a statement OK of a command that may write, while no transaction stays open — its last packet is held, the
 *       master's binlog end is read on the control pool ({@link PositionProbes}, batched across sessions), and the
 *       packet waits for an ACK at or past that position, which is at or past the commit.
 * </ul>
 *
 * Packets that arrive while something is held queue behind it, so the client sees every response in order (also
 * for pipelined commands). One per client session, on its event loop.
 */
public final class CommitGate {
    private static final Logger LOG = LoggerFactory.getLogger(CommitGate.class);

    /** A place in the outgoing queue that stays closed until the tracker releases the commit before it. */
    private static final class Barrier {
        boolean open;
    }

    private final AckTracker tracker;
    /** Binlog position probes: for commits in probe mode, for every response in AFTER_SYNC; may be null. */
    private final PositionProbes probes;
    /** Whether commits are found by the GTIDs in OK packets (else by position probes). */
    private final boolean gtidTracking;

    private final Channel client;
    private final ResponseTracker<CommandKind> responses;
    /** Packets (and barriers) waiting to go to the client, in order. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** Position-probe mode: which responses ended a commit. */
    private final ProbeCommits probeCommits = new ProbeCommits();

    /** Whether a response is being relayed (its first packet has been seen, its last not yet). */
    private boolean inResponse;

    /**
     * @param probes the binlog position probes, or {@code null} (then only GTID-tracked commits are held, and reads
     *     are not held in AFTER_SYNC)
     * @param gtidTracking whether the master reports each commit's GTID to this session
     */
    public CommitGate(
            final AckTracker tracker,
            final PositionProbes probes,
            final boolean gtidTracking,
            final Channel client,
            final long capabilities) {
        if (!gtidTracking && probes == null) {
            throw new IllegalArgumentException("a session without GTID tracking needs position probes");
        }
        this.tracker = tracker;
        this.probes = probes;
        this.gtidTracking = gtidTracking;
        this.client = client;
        this.responses = new ResponseTracker<>(capabilities);
    }

    /** Whether this gate finds commits by position probes (else by GTIDs in OK packets). */
    public boolean probing() {
        return !gtidTracking;
    }

    /** A client packet on its way to the master. Does not take ownership. */
    public void onCommand(final Packet packet) {
        if (packet.sequenceId() != 0) {
            responses.onCommand(packet, CommandKind.READ);
            return;
        }
        if (probing()) {
            responses.onCommand(packet, CommandKind.classify(packet));
        } else if (probes != null && tracker.status().holdsAfterSync()) {
            responses.onCommand(packet, CommandKind.classifyRead(packet));
        } else {
            responses.onCommand(packet, CommandKind.READ);
        }
    }

    /**
     * A master packet on its way to the client. Returns {@code true} when the gate took it (held or queued); the
     * caller then must not write it. Does not take ownership otherwise.
     */
    public boolean onResponse(final Packet packet) {
        final boolean starts = !inResponse && !responses.idle();
        final CommandKind command = starts ? responses.dueTag() : null;
        final OkPacket ok = responses.onResponse(packet);
        inResponse = (starts || inResponse) && !responses.responseEnded();
        final Barrier read = command != null && command.mayShowData() ? readBarrier() : null;
        final Barrier commit = probing() ? probeBarrier(ok) : gtidBarrier(ok);
        if (read == null && commit == null && queue.isEmpty()) {
            return false;
        }
        if (read != null) {
            queue.addLast(read);
        }
        if (commit != null) {
            queue.addLast(commit);
        }
        queue.addLast(packet.retain());
        return true;
    }

    /**
     * AFTER_SYNC: a response may show any transaction the master committed before producing it, also other
     * sessions' and other clients'. A binlog position read after its first packet arrived is at or past all of them,
     * so the whole response waits until the quorum covers that position (or the timeout, or OFF).
     */
    private Barrier readBarrier() {
        if (probes == null || !tracker.status().holdsAfterSync()) {
            return null;
        }
        final Barrier barrier = new Barrier();
        probes.request((position, failure) -> awaitProbed(barrier, position, failure, true));
        return barrier;
    }

    private Barrier gtidBarrier(final OkPacket ok) {
        if (ok == null || ok.gtid() == null) {
            return null;
        }
        final Gtid gtid;
        try {
            gtid = Gtid.parse(ok.gtid());
        } catch (IllegalArgumentException e) {
            LOG.warn("commit-gate - {} is not a single GTID, commit not held: {}", ok.gtid(), e.getMessage());
            return null;
        }
        final Barrier barrier = new Barrier();
        tracker.awaitGtid(gtid, client.eventLoop(), (outcome, waited) -> open(barrier));
        return barrier;
    }

    private Barrier probeBarrier(final OkPacket ok) {
        if (ok != null) {
            probeCommits.onOk(ok);
        }
        if (!responses.responseEnded() || !probeCommits.ended(responses.endedTag(), responses.status())) {
            return null;
        }
        final Barrier barrier = new Barrier();
        probes.request((position, failure) -> awaitProbed(barrier, position, failure, false));
        return barrier;
    }

    /** Runs on the control pool's thread. */
    private void awaitProbed(
            final Barrier barrier, final BinlogPosition position, final Throwable failure, final boolean read) {
        if (failure != null) {
            // Without a position the commit cannot be confirmed. Its OK must not reach the client as if it were
            // (the master may be gone with the transaction unreplicated): close the connection, so the client knows
            // the outcome is unknown, as after a master crash.
            LOG.warn(
                    "commit-gate - binlog position probe failed ({}); closing {}: its {} is not confirmed",
                    failure.getMessage(),
                    client.remoteAddress(),
                    read ? "response" : "commit");
            try {
                client.eventLoop().execute(client::close);
            } catch (RejectedExecutionException e) {
                LOG.debug("commit-gate - {} is already gone with its event loop", client.remoteAddress());
            }
            return;
        }
        if (read) {
            tracker.awaitRead(position, client.eventLoop(), (outcome, waited) -> open(barrier));
        } else {
            tracker.awaitPosition(position, client.eventLoop(), (outcome, waited) -> open(barrier));
        }
    }

    private void open(final Barrier barrier) {
        barrier.open = true;
        boolean wrote = false;
        while (!queue.isEmpty()) {
            final Object head = queue.peekFirst();
            if (head instanceof Barrier b) {
                if (!b.open) {
                    break;
                }
                queue.pollFirst();
            } else {
                queue.pollFirst();
                final Packet packet = (Packet) head;
                if (client.isActive()) {
                    client.write(packet, client.voidPromise());
                    wrote = true;
                } else {
                    packet.release();
                }
            }
        }
        if (wrote) {
            client.flush();
        }
    }

    /** Whether no followed response is in flight (the last one ended). */
    public boolean responseComplete() {
        return responses.idle();
    }

    /** The session ended: drop what is queued (the client is gone). */
    public void closed() {
        for (final Object o : queue) {
            if (o instanceof Packet p) {
                p.release();
            }
        }
        queue.clear();
    }
}
