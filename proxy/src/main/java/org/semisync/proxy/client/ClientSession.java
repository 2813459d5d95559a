package org.semisync.proxy.client;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import org.semisync.ack.AckTracker;
import org.semisync.proxy.admin.AdminCommands;
import org.semisync.proxy.binlog.RelayHub;
import org.semisync.proxy.commit.CommitGate;
import org.semisync.proxy.commit.DetectionMode;
import org.semisync.proxy.commit.PositionProbes;
import org.semisync.proxy.config.ProxyConfig;
import org.semisync.proxy.logging.Causes;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.Handshake;
import org.semisync.proxy.protocol.MalformedPacketException;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.replica.ReplicationCommands;
import org.semisync.proxy.tls.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection and its connection to the master, both on the client's event loop (no locks): the login
 * ({@link LoginRelay}), turning on GTID tracking for the session, then the command phase ({@link CommandRouter}).
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
    private final AckTracker tracker;
    /** Position probes for sessions whose commits carry no GTID; null when not configured. */
    private final PositionProbes probes;
    /** Answers the semi-sync variables and counters (shared); null without an ack tracker. */
    private final AdminCommands admin;
    /** The shared relay; null when every replica's dump is the master's own. */
    private final RelayHub relay;

    private Channel client;
    private Channel backend;
    /** Reading and back-pressure between the two sides. */
    private SessionFlow flow;

    private State state = State.LOGIN;
    private LoginRelay login;
    /** How this master reports commits, from its greeting's version. */
    private DetectionMode detection;
    /** Routes the commands once the client is authenticated. */
    private volatile CommandRouter router;
    /** Turns GTID tracking on; null until authenticated. */
    private GtidTracking gtidTracking;

    private boolean trackingAfterAuth;
    private ScheduledFuture<?> handshakeTimeout;

    ClientSession(
            final ProxyConfig config,
            final TlsContexts tls,
            final SessionCounters counters,
            final Transport transport,
            final SemiSyncServices services,
            final AdminCommands admin) {
        this.tracker = services.tracker();
        this.probes = services.probes();
        this.relay = services.relay();
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
                        backend = f.channel();
                        flow.connected(backend);
                        if (state == State.CLOSED) {
                            backend.close();
                        } else {
                            login = new LoginRelay(client, backend, tls, config.master(), counters, new LoginOutcome());
                            backend.read();
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
                case ENABLING_TRACKING -> onTrackingEnabled(packet);
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
            detection = DetectionMode.forServerVersion(login.greeting().displayVersion());
            if (trackingWanted()) {
                gtidTracking = new GtidTracking(detection, client, backend, config.master());
                enableTracking(ok);
            } else {
                client.write(ok);
                enterCommandPhase(false);
            }
        }

        @Override
        public void fail(final int sequence, final int code, final String sqlState, final String message) {
            ClientSession.this.fail(sequence, code, sqlState, message);
        }

        @Override
        public void refused() {
            state = State.CLOSED;
            backend.close();
        }
    }

    /**
     * GTIDs in OK packets need the client's CLIENT_SESSION_TRACK (the format changes) and a master that reports them
     * (MariaDB 10.2.16+ / 10.3.8+, MySQL 5.7+); other sessions use position probes.
     */
    private boolean trackingWanted() {
        return tracker != null
                && Capabilities.has(login.capabilities(), Capabilities.CLIENT_SESSION_TRACK)
                && detection.tracking();
    }

    /** Holds {@code ok} (owned here) while the master is asked to report GTIDs in its OKs. */
    private void enableTracking(final Packet ok) {
        trackingAfterAuth = state == State.LOGIN;
        state = State.ENABLING_TRACKING;
        gtidTracking.enable(ok);
    }

    private void onTrackingEnabled(final Packet packet) {
        final boolean trackingOn = gtidTracking.answered(packet);
        if (trackingAfterAuth) {
            enterCommandPhase(trackingOn);
        } else {
            state = State.COMMAND;
        }
    }

    private void enterCommandPhase(final boolean tracking) {
        state = State.COMMAND;
        handshakeTimeout.cancel(false);
        final long capabilities = login.capabilities();
        final CommitGate gate = tracker != null && (tracking || probes != null)
                ? new CommitGate(tracker, probes, tracking, client, capabilities)
                : null;
        final Handshake greeting = login.greeting();
        router = new CommandRouter(
                client,
                new RouterLink(),
                new CommandRouter.ClientContext(
                        capabilities, greeting.connectionId(), login.user(), greeting.displayVersion()),
                gate,
                tracker == null ? null : new ReplicationCommands(tracker, relay, client),
                admin == null ? null : new AdminQueries(admin, client, greeting.displayVersion()),
                relay);
        // From here on both sides read on their own (no read() round trip per batch, which costs an epoll_ctl each
        // time); a side stops reading only while the other side's outbound buffer is over its high mark.
        client.config().setAutoRead(true);
        backend.config().setAutoRead(true);
        counters.clientAuthenticated();
        LOG.debug(
                "client - {} authenticated as '{}' (master connection id {}, commits {})",
                client.remoteAddress(),
                login.user(),
                greeting.connectionId(),
                gate == null ? "not held" : gate.probing() ? "held, found by position probes" : "held, found by GTID");
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
        if (gtidTracking != null) {
            gtidTracking.closed();
        }
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        if (state == State.CLOSED || (cause instanceof ClosedChannelException && !client.isOpen())) {
            // Writes with a void promise report their failure here one by one: every packet still queued when the
            // connection ended (a replica's dump can have hundreds) would log its own line. The end of the session was
            // logged already, or is the connection's closing, which is no failure of its own.
            LOG.debug("client - {}: after the end of the session: {}", client.remoteAddress(), cause.toString());
            state = State.CLOSED;
            client.close();
            if (backend != null) {
                backend.close();
            }
            return;
        }
        LOG.info("client - {} failed: {}", client.remoteAddress(), Causes.rootMessage(cause));
        state = State.CLOSED;
        client.close();
        if (backend != null) {
            backend.close();
        }
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
        if (client.isActive()) {
            final ChannelFuture f =
                    client.writeAndFlush(new ErrPacket(code, sqlState, message).toPacket(client.alloc(), sequence));
            f.addListener(ChannelFutureListener.CLOSE);
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** The session's side of its {@link CommandRouter}. */
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

    private final class RouterLink implements CommandRouter.Link {
        @Override
        public void toMaster(final Packet packet) {
            writeBackend(packet);
        }

        @Override
        public void closeMaster() {
            backend.close();
        }

        @Override
        public void reenableTracking(final Packet ok) {
            enableTracking(ok);
        }

        @Override
        public void resumeMasterReads() {
            flow.resumeMasterReads();
        }

        @Override
        public void quit() {
            state = State.CLOSED;
            backend.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            client.close();
        }
    }

    private void writeBackend(final Packet packet) {
        if (backend == null || !backend.isActive()) {
            ReferenceCountUtil.release(packet);
            return;
        }
        backend.write(packet, backend.voidPromise());
    }
}
