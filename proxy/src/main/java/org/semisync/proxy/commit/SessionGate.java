package org.semisync.proxy.commit;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.Gtid;
import org.semisync.ack.ReleaseOutcome;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.OkPacket;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.ServerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit gate of one client session; every method runs on the session's event loop (single writer). Per command:
 * {@link #commandStarted}, then {@link #rewriteOk} for each OK (or OK-as-EOF) in the response, then
 * {@link #holdFinal} with the packet that ends the response. A multi-statement or a stored procedure may commit
 * several times in one response: the last GTID seen covers the earlier ones (binlog order), so only the final packet
 * is held.
 */
public final class SessionGate {
    private static final Logger LOG = LoggerFactory.getLogger(SessionGate.class);

    private final CommitGate gate;
    private final OkRewriter rewriter;
    private final Executor eventLoop;
    private final CommitDetector detector = new CommitDetector();
    private boolean clientTracksGtid;
    private boolean inTransaction;
    private String commandGtid;
    private boolean commandMayWrite;
    private boolean reapplyTracking;

    SessionGate(final CommitGate gate, final OkRewriter rewriter, final Executor eventLoop) {
        this.gate = gate;
        this.rewriter = rewriter;
        this.eventLoop = eventLoop;
    }

    /**
     * A client command goes to the master.
     *
     * @param sql the query text for COM_QUERY, else null
     */
    public void commandStarted(final int command, final String sql) {
        commandGtid = null;
        reapplyTracking = false;
        commandMayWrite = switch (command) {
            case Commands.COM_QUERY -> sql == null || WriteClassifier.mayWrite(sql, inTransaction);
            case Commands.COM_STMT_EXECUTE -> true; // the statement text is not at hand: conservative
            default -> false;
        };
        if (command == Commands.COM_QUERY && sql != null && TrackingStatements.changesTracking(sql)) {
            clientTracksGtid = TrackingStatements.clientAsksForGtid(sql);
            reapplyTracking = gate.mode().tracking();
        }
        if (command == Commands.COM_RESET_CONNECTION || command == Commands.COM_CHANGE_USER) {
            detector.reset();
            clientTracksGtid = false;
            inTransaction = false;
            reapplyTracking = gate.mode().tracking();
        }
    }

    /**
     * An OK of the current response, as the master framed it; returns what the client gets (the same packet when
     * nothing changes, else a new one and {@code backendOk} is released).
     */
    public Packet rewriteOk(final Packet backendOk) {
        final OkPacket ok = rewriter.parse(backendOk.payload());
        inTransaction = (ok.status() & ServerStatus.IN_TRANS) != 0;
        final Optional<String> gtid = detector.committedGtid(ok);
        gtid.ifPresent(g -> commandGtid = g);
        if (rewriter.passThrough() && (ok.sessionState().isEmpty() || clientTracksGtid)) {
            return backendOk;
        }
        final OkPacket forClient = rewriter.forClient(ok, clientTracksGtid);
        final ByteBuf payload = rewriter.encodeForClient(backendOk.content().alloc(), forClient);
        final Packet out = new Packet(backendOk.sequenceId(), payload);
        backendOk.release();
        return out;
    }

    /** Whether the proxy must run {@link DetectionMode#trackingStatements()} after this command's response. */
    public boolean reapplyTrackingAfter() {
        return reapplyTracking;
    }

    /**
     * The packet that ends the current response (OK, ERR, or the result set's terminator). Returns false if it may go
     * to the client now; true if it is held, and then {@code release} gets it later on the event loop.
     */
    public boolean holdFinal(final Packet last, final Consumer<Packet> release) {
        if (gate.mode().tracking()) {
            if (commandGtid == null) {
                return false;
            }
            final String gtid = commandGtid;
            commandGtid = null;
            final Gtid parsed;
            try {
                parsed = Gtid.parse(gtid);
            } catch (IllegalArgumentException e) {
                LOG.error("SessionGate: master reported an unreadable GTID '{}'; OK not held", gtid, e);
                return false;
            }
            gate.tracker().awaitGtid(parsed, eventLoop, (outcome, nanos) -> release(last, release, outcome));
            return true;
        }
        if (!commandMayWrite) {
            return false;
        }
        commandMayWrite = false;
        gate.probes().request((position, failure) -> awaitProbed(position, failure, last, release));
        return true;
    }

    private void awaitProbed(
            final BinlogPosition position, final Throwable failure, final Packet last, final Consumer<Packet> release) {
        if (failure != null) {
            // no position, so nothing to wait for: release, but say so loudly (the commit was not confirmed)
            LOG.warn(
                    "SessionGate: binlog position probe failed, releasing an unconfirmed commit: {}",
                    failure.toString());
            eventLoop.execute(() -> release.accept(last));
            return;
        }
        gate.tracker().awaitPosition(position, eventLoop, (outcome, nanos) -> release(last, release, outcome));
    }

    private static void release(final Packet last, final Consumer<Packet> release, final ReleaseOutcome outcome) {
        if (outcome == ReleaseOutcome.SHUTDOWN) {
            LOG.debug("SessionGate: tracker shut down, releasing a held commit");
        }
        release.accept(last);
    }
}
