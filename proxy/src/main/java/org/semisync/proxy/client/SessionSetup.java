package org.semisync.proxy.client;

import io.netty.channel.Channel;
import org.semisync.proxy.admin.AdminCommands;
import org.semisync.proxy.commit.CommitGate;
import org.semisync.proxy.commit.DetectionMode;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.Handshake;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.replica.ReplicationCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session from its login's OK to the command phase: the master's version decides how its commits are found, GTID
 * tracking is turned on where client and master allow it (and again whenever the client resets the tracked
 * variables), then the commit gate and the command router are built. On the session's event loop.
 */
final class SessionSetup {
    private static final Logger LOG = LoggerFactory.getLogger(SessionSetup.class);

    /** What the setup tells its session. */
    interface Session {
        /** GTID tracking is being turned on: the master's next packet is its answer ({@link #answered}). */
        void awaitingTrackingAnswer();

        /** Authentication is complete: commands go through {@code router} from now on. */
        void commandPhase(CommandRouter router);

        /** Tracking is on again after the client reset it; the command phase goes on. */
        void trackingReapplied();
    }

    private final SemiSyncServices services;
    /** Answers the semi-sync variables and counters (shared); null without an ack tracker. */
    private final AdminCommands admin;

    private final Channel client;
    private final Channel backend;
    private final HostPort master;
    private final LoginRelay login;
    private final Session session;
    private final CommandRouter.Link link;

    /** Turns GTID tracking on; null when the session's commits are not found by GTID. */
    private GtidTracking tracking;
    /** Whether the tracking being turned on ends the login (else it follows a reset in the command phase). */
    private boolean duringLogin;

    SessionSetup(
            final SemiSyncServices services,
            final AdminCommands admin,
            final Channel client,
            final Channel backend,
            final HostPort master,
            final LoginRelay login,
            final Session session,
            final CommandRouter.Link link) {
        this.services = services;
        this.admin = admin;
        this.client = client;
        this.backend = backend;
        this.master = master;
        this.login = login;
        this.session = session;
        this.link = link;
    }

    /** The master accepted the login; {@code ok} (owned here) is the client's. */
    void authenticated(final Packet ok) {
        final DetectionMode detection =
                DetectionMode.forServerVersion(login.greeting().displayVersion());
        if (trackingWanted(detection)) {
            tracking = new GtidTracking(detection, client, backend, master);
            duringLogin = true;
            enable(ok);
        } else {
            client.write(ok);
            session.commandPhase(router(false));
        }
    }

    /** The client reset the tracked variables and the master said OK: {@code ok} (owned here) waits for tracking. */
    void reenable(final Packet ok) {
        duringLogin = false;
        enable(ok);
    }

    /** The master's answer to the tracking statement (not owned). */
    void answered(final Packet answer) {
        final boolean on = tracking.answered(answer);
        if (duringLogin) {
            session.commandPhase(router(on));
        } else {
            session.trackingReapplied();
        }
    }

    void closed() {
        if (tracking != null) {
            tracking.closed();
        }
    }

    private void enable(final Packet ok) {
        session.awaitingTrackingAnswer();
        tracking.enable(ok);
    }

    /**
     * GTIDs in OK packets need the client's CLIENT_SESSION_TRACK (the format changes) and a master that reports them
     * (MariaDB 10.2.16+ / 10.3.8+, MySQL 5.7+); other sessions use position probes.
     */
    private boolean trackingWanted(final DetectionMode detection) {
        return services.tracker() != null
                && Capabilities.has(login.capabilities(), Capabilities.CLIENT_SESSION_TRACK)
                && detection.tracking();
    }

    private CommandRouter router(final boolean tracked) {
        final long capabilities = login.capabilities();
        final boolean holds = services.tracker() != null && (tracked || services.probes() != null);
        final CommitGate gate =
                holds ? new CommitGate(services.tracker(), services.probes(), tracked, client, capabilities) : null;
        final Handshake greeting = login.greeting();
        LOG.debug(
                "client - {} authenticated as '{}' (master connection id {}, commits {})",
                client.remoteAddress(),
                login.user(),
                greeting.connectionId(),
                gate == null ? "not held" : gate.probing() ? "held, found by position probes" : "held, found by GTID");
        return new CommandRouter(
                client,
                link,
                new CommandRouter.ClientContext(
                        capabilities, greeting.connectionId(), login.user(), greeting.displayVersion()),
                gate,
                services.tracker() == null
                        ? null
                        : new ReplicationCommands(services.tracker(), services.relay(), client),
                admin == null ? null : new AdminQueries(admin, client, greeting.displayVersion()),
                services.relay());
    }
}
