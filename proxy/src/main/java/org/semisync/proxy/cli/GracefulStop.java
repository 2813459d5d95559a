package org.semisync.proxy.cli;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.semisync.ack.AckTracker;
import org.semisync.ack.SemiSyncStatus;
import org.semisync.proxy.client.FrontendServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * A clean stop (SIGTERM, Ctrl-C) that keeps the guarantee: no new clients; held commits finish (ACK or timeout);
 * the other clients are disconnected (a statement in flight has an unknown outcome, as after any disconnect, but no
 * unacknowledged commit is reported as done); replicas are served until they have acknowledged the last transaction
 * the master wrote, at most the timeout; then everything closes. Runs once, on its own thread.
 */
final class GracefulStop {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
    private static final long POLL_MILLIS = 20;

    private final FrontendServer server;
    private final AckTracker tracker;
    private final Runnable closeEverything;
    /** Tells the health endpoints that the proxy is going away (balancers stop sending clients). */
    private final Runnable stopping;

    private final AtomicBoolean started = new AtomicBoolean();

    GracefulStop(
            final FrontendServer server,
            final AckTracker tracker,
            final Runnable stopping,
            final Runnable closeEverything) {
        this.server = server;
        this.tracker = tracker;
        this.stopping = stopping;
        this.closeEverything = closeEverything;
    }

    /** Runs {@link #run} on a new thread at SIGTERM and SIGINT (instead of the JVM's immediate exit). */
    void installSignalHandlers() {
        for (final String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                final Thread t = new Thread(this::run, "semisync-stop");
                t.start();
            });
        }
    }

    /** Whether a stop has begun. */
    boolean started() {
        return started.get();
    }

    void run() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        stopping.run();
        final long timeout = tracker.status().settings().timeoutMillis();
        LOG.info("shutdown - no new clients; waiting for held commits (at most {} ms)", timeout);
        server.stopAccepting();
        // twice in a row: a commit whose OK is on its way to the tracker is not counted yet at the first look
        awaitStatus(s -> s.waitSessions() == 0, timeout + 1000, 2);
        final int closed = server.closeClients();
        LOG.info("shutdown - closed {} client connections; waiting for the replicas' ACKs", closed);
        final SemiSyncStatus last = awaitStatus(GracefulStop::replicasCaughtUp, timeout, 1);
        if (replicasCaughtUp(last)) {
            LOG.info("shutdown - replicas acknowledged {}; stopping", last.quorumPosition());
        } else {
            LOG.warn(
                    "shutdown - replicas acknowledged {} of {} within {} ms; stopping anyway",
                    last.quorumPosition(),
                    last.newestCommitted(),
                    timeout);
        }
        closeEverything.run();
    }

    /** Nothing to wait for: no semi-sync replica, nothing written, or the quorum has the newest transaction. */
    static boolean replicasCaughtUp(final SemiSyncStatus s) {
        return s.clients() == 0
                || s.newestCommitted() == null
                || (s.quorumPosition() != null && s.quorumPosition().covers(s.newestCommitted()));
    }

    private SemiSyncStatus awaitStatus(
            final Predicate<SemiSyncStatus> condition, final long limitMillis, final int timesInARow) {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        int seen = 0;
        SemiSyncStatus status = tracker.status();
        while (System.nanoTime() < deadline) {
            seen = condition.test(status) ? seen + 1 : 0;
            if (seen >= timesInARow) {
                return status;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return status;
            }
            status = tracker.status();
        }
        return status;
    }
}
