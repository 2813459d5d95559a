package org.semisync.proxy.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import org.semisync.proxy.admin.AdminCommands;
import org.semisync.proxy.config.ProxyConfig;
import org.semisync.proxy.logging.Causes;
import org.semisync.proxy.net.Transport;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.MalformedPacketException;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.tls.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection and its connection to the master, both on the client's event loop (no locks): the login
 * ({@link LoginRelay}), the session's set-up ({@link SessionSetup}: GTID tracking), then the command phase
 * ({@link CommandRouter}).
 * After the login, packets are relayed with read-side back-pressure: a side is read again only when the other side
 * is writable.
 */
public final class ClientSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

    private enum State {
        LOGIN,
        ENABLING_TRACKING,
        COMMAND,
        CLOSED
    }

    private final ProxyConfig config;
    private final TlsContexts tls;
    private final SessionCounters counters;
    private final Transport transport;
    private final SemiSyncServices services;
    /** Answers the semi-sync variables and counters (shared); null without an ack tracker. */
    private final AdminCommands admin;

    private Channel client;
    /** Reading and back-pressure between the two sides. */
    private SessionFlow flow;

    private State state = State.LOGIN;
    private LoginRelay login;
    /** From the login's OK to the command phase (and GTID tracking again later); null until authenticated. */
    private SessionSetup setup;
    /** Routes the commands once the client is authenticated. */
    private volatile CommandRouter router;

    private ScheduledFuture<?> handshakeTimeout;

    ClientSession(
            final ProxyConfig config,
            final TlsContexts tls,
            final SessionCounters counters,
            final Transport transport,
            final SemiSyncServices services,
            final AdminCommands admin) {
        this.services = services;
        this.transport = transport;
        this.admin = admin;
        this.config = config;
        this.tls = tls;
        this.counters = counters;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) {
        client = ctx.channel();
        flow = new SessionFlow(client, new FlowPhase());
        counters.clientOpened();
        handshakeTimeout = client.eventLoop()
                .schedule(this::handshakeTimedOut, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        MasterConnection.open(client, transport, config, new BackendHandler(this))
                .addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        final Channel master = f.channel();
                        flow.connected(master);
                        if (state == State.CLOSED) {
                            master.close();
                        } else {
                            login = new LoginRelay(client, master, tls, config.master(), counters, new LoginOutcome());
                            master.read();
                        }
                    } else {
                        fail(
                                0,
                                ErrPacket.CR_CONN_HOST_ERROR,
                                "08S01",
                                "semisync-proxy: cannot connect to master " + config.master() + ": "
                                        + Causes.rootMessage(f.cause()));
                    }
                });
    }

    // ------------------------------------------------------------------ client -> master

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        final Packet packet = (Packet) msg;
        try {
            switch (state) {
                case COMMAND -> router.fromClient(packet);
                case LOGIN -> {
                    if (login == null) {
                        throw new MalformedPacketException("a packet before the master's greeting");
                    }
                    login.fromClient(packet);
                }
                default -> throw new MalformedPacketException("unexpected packet from the client in state " + state);
            }
        } catch (MalformedPacketException e) {
            fail(packet.sequenceId() + 1, ErrPacket.ER_HANDSHAKE_ERROR, "08S01", "semisync-proxy: " + e.getMessage());
        } finally {
            packet.release();
        }
    }

    /** Whether this connection is a replica's binlog dump (read from any thread: a snapshot). */
    boolean replicaDump() {
        final CommandRouter r = router;
        return r != null && r.replicaDump();
    }

    private boolean servedFromRing() {
        return flow != null && flow.servedFromRing();
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx) {
        flow.clientReadComplete();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx) {
        flow.clientWritabilityChanged();
    }

    // ------------------------------------------------------------------ master -> client

    void fromBackend(final Packet packet) {
        try {
            switch (state) {
                case COMMAND -> router.fromMaster(packet);
                case LOGIN -> login.fromMaster(packet);
                case ENABLING_TRACKING -> setup.answered(packet);
                case CLOSED -> {
                    /* the client is gone: drop */
                }
            }
        } catch (MalformedPacketException e) {
            fail(0, ErrPacket.ER_HANDSHAKE_ERROR, "08S01", "semisync-proxy: bad packet from master: " + e.getMessage());
        } finally {
            packet.release();
        }
    }

    /** The session's side of its {@link LoginRelay}. */
    private final class LoginOutcome implements LoginRelay.Outcome {
        @Override
        public void authenticated(final Packet ok) {
            setup = new SessionSetup(
                    services, admin, client, flow.master(), config.master(), login, new Phases(), new RouterLink());
            setup.authenticated(ok);
        }

        @Override
        public void fail(final int sequence, final int code, final String sqlState, final String message) {
            ClientSession.this.fail(sequence, code, sqlState, message);
        }

        @Override
        public void refused() {
            state = State.CLOSED;
            flow.closeMaster();
        }
    }

    /** The session's side of its {@link SessionSetup}. */
    private final class Phases implements SessionSetup.Session {
        @Override
        public void awaitingTrackingAnswer() {
            state = State.ENABLING_TRACKING;
        }

        @Override
        public void commandPhase(final CommandRouter commands) {
            router = commands;
            state = State.COMMAND;
            handshakeTimeout.cancel(false);
            flow.commandPhase();
            counters.clientAuthenticated();
        }

        @Override
        public void trackingReapplied() {
            state = State.COMMAND;
        }
    }

    void backendReadComplete() {
        flow.backendReadComplete();
    }

    void backendWritabilityChanged() {
        flow.backendWritabilityChanged();
    }

    void backendClosed(final Throwable cause) {
        if (state == State.CLOSED || servedFromRing()) {
            return;
        }
        final String reason = cause == null ? "closed the connection" : Causes.rootMessage(cause);
        LOG.info("client - master {} {} under client {}", config.master(), reason, client.remoteAddress());
        final int sequence = state == State.COMMAND ? router.errorSequence() : 0;
        fail(
                sequence,
                ErrPacket.CR_CONN_HOST_ERROR,
                "08S01",
                "semisync-proxy: lost connection to master " + config.master() + ": " + reason);
    }

    // ------------------------------------------------------------------ end of the session

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        counters.clientClosed();
        state = State.CLOSED;
        if (router != null) {
            router.closed();
        }
        if (setup != null) {
            setup.closed();
        }
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        flow.closeMaster();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        if (state == State.CLOSED || (cause instanceof ClosedChannelException && !client.isOpen())) {
            // Writes with a void promise report their failure here one by one: every packet still queued when the
            // connection ended (a replica's dump can have hundreds) would log its own line. The end of the session was
            // logged already, or is the connection's closing, which is no failure of its own.
            LOG.debug("client - {}: after the end of the session: {}", client.remoteAddress(), cause.toString());
        } else {
            LOG.info("client - {} failed: {}", client.remoteAddress(), Causes.rootMessage(cause));
        }
        state = State.CLOSED;
        flow.closeBoth();
    }

    private void handshakeTimedOut() {
        if (state != State.COMMAND && state != State.CLOSED) {
            fail(
                    login == null || login.phase() == LoginRelay.Phase.GREETING ? 0 : 2,
                    ErrPacket.ER_HANDSHAKE_ERROR,
                    "08S01",
                    "semisync-proxy: handshake not completed within "
                            + config.handshakeTimeout().toMillis() + " ms");
        }
    }

    /** Sends an ERR to the client (if it is still there), then closes both sides. */
    private void fail(final int sequence, final int code, final String sqlState, final String message) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        flow.failBoth(new ErrPacket(code, sqlState, message), sequence);
    }

    /** The session's side of its {@link SessionFlow}. */
    private final class FlowPhase implements SessionFlow.Phase {
        @Override
        public boolean command() {
            return state == State.COMMAND;
        }

        @Override
        public boolean closed() {
            return state == State.CLOSED;
        }

        @Override
        public CommandRouter router() {
            return router;
        }
    }

    /** The session's side of its {@link CommandRouter}. */
    private final class RouterLink implements CommandRouter.Link {
        @Override
        public void toMaster(final Packet packet) {
            flow.toMaster(packet);
        }

        @Override
        public void closeMaster() {
            flow.closeMaster();
        }

        @Override
        public void reenableTracking(final Packet ok) {
            setup.reenable(ok);
        }

        @Override
        public void resumeMasterReads() {
            flow.resumeMasterReads();
        }

        @Override
        public void quit() {
            state = State.CLOSED;
            flow.quit();
        }
    }
}
