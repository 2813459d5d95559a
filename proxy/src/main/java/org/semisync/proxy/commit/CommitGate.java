package org.semisync.proxy.commit;

import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.Gtid;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.SemiSyncStatus;
import org.semisync.ack.WaitPoint;
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
     * @param mayShowData whether its answer could show a transaction (AFTER_SYNC holds it)
     */
    private record Command(
            boolean mayWriteIfClosed,
            boolean mayWriteIfOpen,
            boolean single,
            boolean beginsTransaction,
            boolean rowChange,
            boolean mayShowData) {}

    private static final Command READ = new Command(false, false, true, false, false, true);
    private static final Command SHOWS_NOTHING = new Command(false, false, true, false, false, false);
    private static final Command MAY_WRITE = new Command(true, true, true, false, false, true);
    private static final java.util.Set<String> ROW_CHANGES = java.util.Set.of("INSERT", "UPDATE", "DELETE", "REPLACE");

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
    private final ResponseTracker<Command> responses;
    /** Packets (and barriers) waiting to go to the client, in order. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** IN_TRANS before the response now arriving (probe mode). */
    private boolean transactionOpen;

    private boolean responseWroteOk;
    private long responseAffectedRows;

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
            responses.onCommand(packet, READ);
            return;
        }
        if (probing()) {
            responses.onCommand(packet, classify(packet));
        } else if (probes != null && afterSync(tracker.status())) {
            responses.onCommand(packet, classifyRead(packet));
        } else {
            responses.onCommand(packet, READ);
        }
    }

    private static Command classify(final Packet packet) {
        return switch (packet.firstByte()) {
            case Commands.COM_QUERY -> {
                // whether a transaction is open is known only when the previous response has ended (pipelining)
                final List<String> statements = SqlText.split(queryText(packet));
                final boolean mayShow = ReadClassifier.mayShowData(statements);
                if (!WriteClassifier.mayWrite(statements, true)) {
                    yield mayShow ? READ : SHOWS_NOTHING;
                }
                final String first = SqlText.firstWord(statements.get(0));
                final boolean single = statements.size() == 1;
                yield new Command(
                        WriteClassifier.mayWrite(statements, false),
                        true,
                        single,
                        first.equals("BEGIN") || first.equals("START"),
                        single && ROW_CHANGES.contains(first),
                        mayShow);
            }
            // the statement text is not at hand; a prepared SELECT answers with a result set and is not held
            case Commands.COM_STMT_EXECUTE, Commands.COM_STMT_BULK_EXECUTE -> MAY_WRITE;
            default -> classifyRead(packet);
        };
    }

    /** Only whether the answer could show data (GTID-tracked sessions in AFTER_SYNC). */
    private static Command classifyRead(final Packet packet) {
        return switch (packet.firstByte()) {
            case Commands.COM_QUERY ->
                ReadClassifier.mayShowData(SqlText.split(queryText(packet))) ? READ : SHOWS_NOTHING;
            case Commands.COM_STMT_EXECUTE, Commands.COM_STMT_BULK_EXECUTE, Commands.COM_STMT_FETCH -> READ;
            default -> SHOWS_NOTHING; // ping, prepare (metadata), init db, set option, …
        };
    }

    private static String queryText(final Packet packet) {
        final io.netty.buffer.ByteBuf p = packet.payload();
        return p.toString(p.readerIndex() + 1, p.readableBytes() - 1, StandardCharsets.UTF_8);
    }

    private static boolean afterSync(final SemiSyncStatus status) {
        final SemiSyncSettings settings = status.settings();
        return settings.waitPoint() == WaitPoint.AFTER_SYNC
                && settings.enabled()
                && (status.on() || settings.enforced());
    }

    /**
     * A master packet on its way to the client. Returns {@code true} when the gate took it (held or queued); the
     * caller then must not write it. Does not take ownership otherwise.
     */
    public boolean onResponse(final Packet packet) {
        final boolean starts = !inResponse && !responses.idle();
        final Command command = starts ? responses.dueTag() : null;
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
        if (probes == null || !afterSync(tracker.status())) {
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
