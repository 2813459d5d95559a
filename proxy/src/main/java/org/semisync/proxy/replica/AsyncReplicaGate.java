package org.semisync.proxy.replica;

import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.ReleaseOutcome;
import org.semisync.proxy.protocol.Packet;

/**
 * Wait point AFTER_SYNC for an asynchronous replica (one that did not ask for semi-sync): the last event of a
 * transaction is not sent before the semi-sync quorum acknowledged that transaction, or before its wait ended as a
 * held response's would (timeout, semi-sync OFF or disabled). After a failover to a semi-sync replica no asynchronous
 * replica then holds a transaction the new master lacks. Only transaction ends wait: a replica applies nothing of a
 * transaction without its end, and the events before it go out at once. Everything after a held end queues behind it
 * (order), and the sources stop while it holds ({@link #holding()}). On the replica's event loop.
 */
public final class AsyncReplicaGate {
    private final AckTracker tracker;
    private final Channel replica;
    /** Runs the tracker's answers: the replica's event loop. */
    private final Executor loop;

    private final Runnable resumed;
    /** Packets in order, each transaction end preceded by its position: the point where the queue may stop. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();

    private boolean holding;
    private boolean closed;
    /** The quorum covered this position (a released wait said so): ends at or before it pass without asking. */
    private BinlogPosition acknowledged;

    /**
     * @param loop the replica's event loop
     * @param resumed runs (on the event loop) when a hold ended and the queue is empty again: the sources go on
     */
    AsyncReplicaGate(final AckTracker tracker, final Channel replica, final Executor loop, final Runnable resumed) {
        this.tracker = tracker;
        this.replica = replica;
        this.loop = loop;
        this.resumed = resumed;
    }

    /**
     * Writes {@code packets} (owned here) to the replica, or queues them behind a held transaction end; {@code
     * transactionEnd} is where the transaction they close ends, null when they close none.
     */
    public void send(final List<Packet> packets, final BinlogPosition transactionEnd) {
        if (closed) {
            packets.forEach(ReferenceCountUtil::release);
            return;
        }
        if (!holding && transactionEnd == null) {
            packets.forEach(p -> replica.write(p, replica.voidPromise()));
            return;
        }
        if (transactionEnd != null) {
            queue.addLast(transactionEnd);
        }
        queue.addAll(packets);
        if (!holding) {
            pump();
        }
    }

    /** Whether a transaction end waits for the quorum: the sources must not produce more meanwhile. */
    public boolean holding() {
        return holding;
    }

    /** The replica's connection ended: nothing more is written. */
    public void close() {
        closed = true;
        queue.forEach(ReferenceCountUtil::release);
        queue.clear();
    }

    private void pump() {
        Object next;
        while ((next = queue.peekFirst()) != null) {
            if (next instanceof BinlogPosition end) {
                if (mustWait(end)) {
                    holding = true;
                    tracker.awaitRead(end, loop, (outcome, waited) -> released(end, outcome));
                    return;
                }
                queue.pollFirst();
            } else {
                replica.write(queue.pollFirst(), replica.voidPromise());
            }
        }
    }

    private boolean mustWait(final BinlogPosition end) {
        if (acknowledged != null && acknowledged.covers(end)) {
            return false;
        }
        return tracker.status().holdsAfterSync();
    }

    private void released(final BinlogPosition end, final ReleaseOutcome outcome) {
        if (outcome == ReleaseOutcome.ACKNOWLEDGED) {
            acknowledged = BinlogPosition.max(acknowledged, end);
        }
        holding = false;
        if (closed) {
            return;
        }
        queue.pollFirst(); // the position this hold was for
        pump();
        replica.flush();
        if (!holding) {
            resumed.run();
        }
    }
}
