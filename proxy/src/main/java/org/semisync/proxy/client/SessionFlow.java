package org.semisync.proxy.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.ReferenceCountUtil;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.Packet;

/**
 * A session's two connections and the flow between them: what goes to the master, how both sides end, and flow
 * control. In the command phase each side reads on its own and
 * stops only while the other side's outbound buffer is over its high mark — or, for a replica's dump relayed from
 * the master, while AFTER_SYNC holds it for the quorum; before that phase, one read at a time. A replica whose dump
 * the ring serves has no master side left to couple with. On the session's event loop.
 */
final class SessionFlow {
    /** What the flow needs to know of its session. */
    interface Phase {
        /** Authenticated and relaying commands. */
        boolean command();

        boolean closed();

        /** The command router, null before the command phase. */
        CommandRouter router();
    }

    private final Channel client;
    private final Phase phase;
    private Channel backend;

    SessionFlow(final Channel client, final Phase phase) {
        this.client = client;
        this.phase = phase;
    }

    /** The master connection is open. */
    void connected(final Channel master) {
        this.backend = master;
    }

    /** The master connection, null until it is open. */
    Channel master() {
        return backend;
    }

    /**
     * The command phase begins: from here on both sides read on their own (no read() round trip per batch, which costs
     * an epoll_ctl each time); a side stops reading only while the other side's outbound buffer is over its high mark.
     */
    void commandPhase() {
        client.config().setAutoRead(true);
        backend.config().setAutoRead(true);
    }

    /** Whether the ring serves this connection's dump (its master connection was closed on purpose). */
    boolean servedFromRing() {
        final CommandRouter router = phase.router();
        return router != null && router.servedFromRing();
    }

    void clientReadComplete() {
        if (backend == null || servedFromRing()) {
            return; // with the ring serving the dump, the replica's ACKs are read whatever the closed master side does
        }
        backend.flush();
        if (phase.command()) {
            client.config().setAutoRead(backend.isWritable());
        } else if (backend.isWritable()) {
            client.read();
        }
    }

    void clientWritabilityChanged() {
        if (backend == null || phase.closed()) {
            return;
        }
        if (servedFromRing()) {
            if (client.isWritable()) {
                phase.router().replicaWritable();
            }
            return;
        }
        if (phase.command()) {
            backend.config().setAutoRead(masterReadable());
        } else if (client.isWritable()) {
            backend.read();
        }
    }

    void backendReadComplete() {
        client.flush();
        if (phase.command()) {
            backend.config().setAutoRead(masterReadable());
        } else if (client.isWritable() && !phase.closed()) {
            backend.read();
        }
    }

    void backendWritabilityChanged() {
        if (servedFromRing()) {
            return;
        }
        if (phase.command()) {
            client.config().setAutoRead(backend.isWritable());
        } else if (backend.isWritable() && !phase.closed()) {
            client.read();
        }
    }

    /** A replica's relayed dump is no longer held (AFTER_SYNC): read the master again. */
    void resumeMasterReads() {
        if (backend != null && backend.isActive() && phase.command()) {
            backend.config().setAutoRead(client.isWritable());
        }
    }

    /** Queues a packet for the master (flushed when the client's read completes); takes ownership. */
    void toMaster(final Packet packet) {
        if (backend == null || !backend.isActive()) {
            ReferenceCountUtil.release(packet);
            return;
        }
        backend.write(packet, backend.voidPromise());
    }

    void closeMaster() {
        if (backend != null) {
            backend.close();
        }
    }

    /** Closes both sides at once. */
    void closeBoth() {
        client.close();
        closeMaster();
    }

    /** Sends {@code err} to the client, if it is still there, and closes it after; closes the master side now. */
    void failBoth(final ErrPacket err, final int sequence) {
        if (client.isActive()) {
            client.writeAndFlush(err.toPacket(client.alloc(), sequence)).addListener(ChannelFutureListener.CLOSE);
        }
        closeMaster();
    }

    /** The client quit (COM_QUIT relayed): the master side closes once what is queued for it is out. */
    void quit() {
        backend.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        client.close();
    }

    /** The master's packets may be read: the client takes them, and no replica dump is held (AFTER_SYNC). */
    private boolean masterReadable() {
        final CommandRouter router = phase.router();
        return client.isWritable() && (router == null || !router.dumpHeld());
    }
}
