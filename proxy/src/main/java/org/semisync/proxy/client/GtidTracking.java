package org.semisync.proxy.client;

import io.netty.channel.Channel;
import org.semisync.proxy.commit.DetectionMode;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on the master's report of each transaction's GTID in its OK packets ({@code last_gtid} on MariaDB, {@code
 * OWN_GTID} on MySQL) for one session, after authentication or after a command that reset the tracked variables.
 * The OK the client waits for is held meanwhile; the master's answer to the proxy's statement is not relayed. On the
 * session's event loop.
 */
final class GtidTracking {
    private static final Logger LOG = LoggerFactory.getLogger(GtidTracking.class);

    private final DetectionMode detection;
    private final Channel client;
    private final Channel backend;
    private final HostPort master;
    /** The OK that ends authentication (or a command that reset tracking), held while tracking is turned on. */
    private Packet heldOk;

    GtidTracking(final DetectionMode detection, final Channel client, final Channel backend, final HostPort master) {
        this.detection = detection;
        this.client = client;
        this.backend = backend;
        this.master = master;
    }

    /** Sends the statement that turns tracking on and holds {@code ok} (owned here) until its answer. */
    void enable(final Packet ok) {
        heldOk = ok;
        // one statement for either kind of master; MariaDB's list is extended, not replaced, and never twice
        backend.writeAndFlush(
                Commands.query(backend.alloc(), detection.trackingStatements().get(0)));
        if (!backend.config().isAutoRead()) {
            backend.read();
        }
    }

    /** The master's answer (not owned): gives the client its held OK; returns whether tracking is on. */
    boolean answered(final Packet answer) {
        if (answer.isErr()) {
            LOG.warn(
                    "commit-gate - master {} refused GTID tracking ({}): commits of {} are not held",
                    master,
                    ErrPacket.parse(answer.payload()).message(),
                    client.remoteAddress());
        }
        client.write(heldOk);
        heldOk = null;
        client.flush();
        return !answer.isErr();
    }

    /** The session ended: the held OK, if any, is dropped. */
    void closed() {
        if (heldOk != null) {
            heldOk.release();
            heldOk = null;
        }
    }
}
