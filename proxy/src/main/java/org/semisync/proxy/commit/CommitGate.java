package org.semisync.proxy.commit;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import org.semisync.ack.AckTracker;
import org.semisync.ack.Gtid;
import org.semisync.ack.ReleaseOutcome;
import org.semisync.proxy.protocol.OkPacket;
import org.semisync.proxy.protocol.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a client's statement OK that carries a new GTID (the statement reached the binlog) until the
 * {@link AckTracker} releases it: enough replicas acknowledged the transaction, or the timeout passed, or semi-sync
 * is OFF. Reads and statements that binlogged nothing pass at once. While an OK is held, any later packet of the
 * same response waits behind it, so the client sees the response in order. One per client session, on its event
 * loop.
 */
public final class CommitGate {
    private static final Logger LOG = LoggerFactory.getLogger(CommitGate.class);

    private final AckTracker tracker;
    private final Channel client;
    private final ResponseTracker responses;
    private final List<Packet> held = new ArrayList<>();
    private boolean holding;

    public CommitGate(final AckTracker tracker, final Channel client, final long capabilities) {
        this.tracker = tracker;
        this.client = client;
        this.responses = new ResponseTracker(capabilities);
    }

    /** A client packet on its way to the master. */
    public void onCommand(final Packet packet) {
        responses.onCommand(packet);
    }

    /**
     * A master packet on its way to the client. Returns {@code true} when the gate took it (held); the caller then
     * must not write it. Does not take ownership otherwise.
     */
    public boolean onResponse(final Packet packet) {
        if (holding) {
            held.add(packet.retain());
            return true;
        }
        final OkPacket ok = responses.onResponse(packet);
        if (ok == null || ok.gtid() == null) {
            return false;
        }
        final Gtid gtid;
        try {
            gtid = Gtid.parse(ok.gtid());
        } catch (IllegalArgumentException e) {
            LOG.debug("commit-gate - {} is not a single GTID, not held: {}", ok.gtid(), e.getMessage());
            return false;
        }
        holding = true;
        held.add(packet.retain());
        tracker.awaitGtid(gtid, client.eventLoop(), this::release);
        return true;
    }

    private void release(final ReleaseOutcome outcome, final long waitedNanos) {
        holding = false;
        final List<Packet> out = new ArrayList<>(held);
        held.clear();
        if (!client.isActive()) {
            out.forEach(Packet::release);
            return;
        }
        out.forEach(client::write);
        client.flush();
    }

    /** Whether the response to the last followed command has ended. */
    public boolean responseComplete() {
        return responses.idle();
    }

    /** The session ended: drop what is held (the client is gone). */
    public void closed() {
        held.forEach(Packet::release);
        held.clear();
    }
}
