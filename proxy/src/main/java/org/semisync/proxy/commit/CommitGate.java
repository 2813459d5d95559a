package org.semisync.proxy.commit;

import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.Gtid;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.OkPacket;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.ServerStatus;
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

    /** What the gate knows about a command when it is sent; used when its response ends (probe mode). */
    /**
     * @param mayWriteIfClosed whether it may commit when no transaction was open before it
     * @param mayWriteIfOpen whether it may commit when a transaction was open (BEGIN, SET autocommit=1 commit it)
     * @param single one statement (not a multi-statement text)
     * @param beginsTransaction BEGIN / START TRANSACTION
     * @param rowChange one INSERT/UPDATE/DELETE/REPLACE: in autocommit, zero affected rows means nothing was written
     */
    private record Command(
            boolean mayWriteIfClosed,
            boolean mayWriteIfOpen,
            boolean single,
            boolean beginsTransaction,
            boolean rowChange) {}

    private static final Command READ = new Command(false, false, true, false, false);
    private static final Command MAY_WRITE = new Command(true, true, true, false, false);
    private static final java.util.Set<String> ROW_CHANGES = java.util.Set.of("INSERT", "UPDATE", "DELETE", "REPLACE");

    /** A place in the outgoing queue that stays closed until the tracker releases the commit before it. */
    private static final class Barrier {
        boolean open;
    }

    private final AckTracker tracker;
    private final PositionProbes probes;
    private final Channel client;
    private final ResponseTracker<Command> responses;
    /** Packets (and barriers) waiting to go to the client, in order. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** IN_TRANS before the response now arriving (probe mode). */
    private boolean transactionOpen;

    private boolean responseWroteOk;
    private long responseAffectedRows;

    /**
     * @param probes the position probes for a session whose commits carry no GTID; {@code null} when the master
     *     reports GTIDs to this session
     */
    public CommitGate(
            final AckTracker tracker, final PositionProbes probes, final Channel client, final long capabilities) {
        this.tracker = tracker;
        this.probes = probes;
        this.client = client;
        this.responses = new ResponseTracker<>(capabilities);
    }

    /** Whether this gate finds commits by position probes (else by GTIDs in OK packets). */
    public boolean probing() {
        return probes != null;
    }

    /** A client packet on its way to the master. Does not take ownership. */
    public void onCommand(final Packet packet) {
        responses.onCommand(packet, packet.sequenceId() == 0 && probes != null ? classify(packet) : READ);
    }

    private static Command classify(final Packet packet) {
        return switch (packet.firstByte()) {
            case Commands.COM_QUERY -> {
                final String sql = packet.payload()
                        .toString(
                                packet.payload().readerIndex() + 1,
                                packet.payload().readableBytes() - 1,
                                StandardCharsets.UTF_8);
                // whether a transaction is open is known only when the previous response has ended (pipelining)
                final List<String> statements = SqlText.split(sql);
                if (!WriteClassifier.mayWrite(statements, true)) {
                    yield READ;
                }
                final String first = SqlText.firstWord(statements.get(0));
                final boolean single = statements.size() == 1;
                yield new Command(
                        WriteClassifier.mayWrite(statements, false),
                        true,
                        single,
                        first.equals("BEGIN") || first.equals("START"),
                        single && ROW_CHANGES.contains(first));
            }
            // the statement text is not at hand; a prepared SELECT answers with a result set and is not held
            case Commands.COM_STMT_EXECUTE, Commands.COM_STMT_BULK_EXECUTE -> MAY_WRITE;
            default -> READ;
        };
    }

    /**
     * A master packet on its way to the client. Returns {@code true} when the gate took it (held or queued); the
     * caller then must not write it. Does not take ownership otherwise.
     */
    public boolean onResponse(final Packet packet) {
        final OkPacket ok = responses.onResponse(packet);
        final Barrier barrier = probes == null ? gtidBarrier(ok) : probeBarrier(ok);
        if (barrier == null && queue.isEmpty()) {
            return false;
        }
        if (barrier != null) {
            queue.addLast(barrier);
        }
        queue.addLast(packet.retain());
        return true;
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
            responseWroteOk = true;
            responseAffectedRows += ok.affectedRows();
        }
        if (!responses.responseEnded()) {
            return null;
        }
        final Command command = responses.endedTag();
        final boolean openBefore = transactionOpen;
        final boolean openAfter = (responses.status() & ServerStatus.IN_TRANS) != 0;
        transactionOpen = openAfter;
        final boolean wroteOk = responseWroteOk;
        final long affectedRows = responseAffectedRows;
        responseWroteOk = false;
        responseAffectedRows = 0;
        final boolean mayWrite =
                command != null && (openBefore ? command.mayWriteIfOpen() : command.mayWriteIfClosed());
        if (!mayWrite || !wroteOk) {
            return null;
        }
        if (command.single() && (command.beginsTransaction() ? !openBefore : openAfter)) {
            // one statement that leaves a transaction open committed nothing, except BEGIN, which commits the
            // transaction that was open before it
            return null;
        }
        if (command.rowChange() && affectedRows == 0 && !openBefore) {
            // an autocommit row change that changed no row wrote no row event: nothing to hold or count, as the
            // plugin counts only what reached the binlog (with binlog_format=STATEMENT the master does log it, but
            // the replicas lose nothing without it)
            return null;
        }
        final Barrier barrier = new Barrier();
        probes.request((position, failure) -> awaitProbed(barrier, position, failure));
        return barrier;
    }

    /** Runs on the control pool's thread. */
    private void awaitProbed(final Barrier barrier, final BinlogPosition position, final Throwable failure) {
        if (failure != null) {
            // Without a position the commit cannot be confirmed. Its OK must not reach the client as if it were
            // (the master may be gone with the transaction unreplicated): close the connection, so the client knows
            // the outcome is unknown, as after a master crash.
            LOG.warn(
                    "commit-gate - binlog position probe failed ({}); closing {}: its commit is not confirmed",
                    failure.getMessage(),
                    client.remoteAddress());
            try {
                client.eventLoop().execute(client::close);
            } catch (RejectedExecutionException e) {
                LOG.debug("commit-gate - {} is already gone with its event loop", client.remoteAddress());
            }
            return;
        }
        tracker.awaitPosition(position, client.eventLoop(), (outcome, waited) -> open(barrier));
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
