package org.semisync.proxy.client;

import io.netty.channel.Channel;

/**
 * Flow control between a client and its master connection. In the command phase each side reads on its own and
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

    /** The master's packets may be read: the client takes them, and no replica dump is held (AFTER_SYNC). */
    private boolean masterReadable() {
        final CommandRouter router = phase.router();
        return client.isWritable() && (router == null || !router.dumpHeld());
    }
}
