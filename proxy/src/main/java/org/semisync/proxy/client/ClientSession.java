package org.semisync.proxy.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.semisync.ack.AckTracker;
import org.semisync.proxy.admin.AdminCommands;
import org.semisync.proxy.binlog.RelayHub;
import org.semisync.proxy.commit.CommitGate;
import org.semisync.proxy.commit.DetectionMode;
import org.semisync.proxy.commit.PositionProbes;
import org.semisync.proxy.config.ProxyConfig;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.Handshake;
import org.semisync.proxy.protocol.HandshakeResponse;
import org.semisync.proxy.protocol.MalformedPacketException;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.PacketDecoder;
import org.semisync.proxy.protocol.PacketEncoder;
import org.semisync.proxy.protocol.Packets;
import org.semisync.proxy.protocol.QueryBytes;
import org.semisync.proxy.replica.ReplicationCommands;
import org.semisync.proxy.tls.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection and its connection to the master, both on the client's event loop (no locks). The greeting
 * and the whole authentication exchange are relayed byte for byte, so the master decides who gets in; the proxy only
 * adjusts capability flags (compression off, TLS terminated here) and, when TLS is used on one side only, the
 * sequence ids of the authentication packets. After authentication, packets are relayed unchanged with read-side
 * back-pressure: a side is read again only when the other side is writable.
 */
public final class ClientSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

    private enum State {
        CONNECTING,
        AWAITING_CLIENT_RESPONSE,
        BACKEND_TLS_HANDSHAKE,
        AUTHENTICATING,
        ENABLING_TRACKING,
        COMMAND,
        /** A SET GLOBAL of a semi-sync variable waits for the master to say whether the account has SUPER. */
        CHECKING_PRIVILEGE,
        CLOSED
    }

    private final ProxyConfig config;
    private final TlsContexts tls;
    private final SessionCounters counters;
    private final Transport transport;
    /** Watches replica commands; null when the proxy runs without an ack tracker. */
    private final ReplicationCommands replication;

    private final AckTracker tracker;
    /** Position probes for sessions whose commits carry no GTID; null when not configured. */
    private final PositionProbes probes;

    /** Answers the semi-sync variables and counters (shared); null without an ack tracker. */
    private final AdminCommands admin;

    private AdminQueries adminQueries;
    /** The binlog dump of a replica connection, once it asked for one. */
    private ReplicaDump dump;
    /** The shared relay; null when every replica's dump is the master's own. */
    private final RelayHub relay;

    private CommitGate gate;
    private long clientCapabilities;
    /** The OK that ends authentication, held while the proxy turns on GTID tracking for the session. */
    private Packet authOk;

    private boolean trackingAfterAuth;
    private boolean reapplyTracking;
    private Channel client;
    private Channel backend;
    private State state = State.CONNECTING;
    private Handshake greeting;
    /** How this master reports commits, from its greeting's version. */
    private DetectionMode detection;

    private boolean clientTls;
    /** Client sequence id minus master sequence id during authentication (1 when only the client used TLS). */
    private int sequenceShift;

    private int lastClientSequence;
    private boolean lastFromClient;
    private String user = "";
    private ScheduledFuture<?> handshakeTimeout;

    ClientSession(
            final ProxyConfig config,
            final TlsContexts tls,
            final SessionCounters counters,
            final Transport transport,
            final SemiSyncServices services,
            final AdminCommands admin) {
        final AckTracker tracker = services.tracker();
        this.transport = transport;
        this.probes = services.probes();
        this.relay = services.relay();
        this.admin = admin;
        this.replication = tracker == null ? null : new ReplicationCommands(tracker, relay);
        this.tracker = tracker;
        this.config = config;
        this.tls = tls;
        this.counters = counters;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) {
        client = ctx.channel();
        adminQueries = admin == null ? null : new AdminQueries(admin, client);
        counters.clientOpened();
        handshakeTimeout = client.eventLoop()
                .schedule(this::handshakeTimedOut, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        final Bootstrap bootstrap = new Bootstrap()
                .group(client.eventLoop())
                .channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        config.connectTimeout().toMillis())
                .handler(new io.netty.channel.ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(final Channel ch) {
                        ch.pipeline()
                                .addLast(
                                        new PacketDecoder(),
                                        PacketEncoder.INSTANCE,
                                        new BackendHandler(ClientSession.this));
                    }
                });
        bootstrap.connect(config.master().host(), config.master().port()).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                backend = f.channel();
                if (state == State.CLOSED) {
                    backend.close();
                } else {
                    backend.read();
                }
            } else {
                fail(
                        0,
                        ErrPacket.CR_CONN_HOST_ERROR,
                        "08S01",
                        "semisync-proxy: cannot connect to master " + config.master() + ": " + rootMessage(f.cause()));
            }
        });
    }

    // ------------------------------------------------------------------ client -> master

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        final Packet packet = (Packet) msg;
        try {
            switch (state) {
                case COMMAND -> relayCommandPacket(packet);
                case AUTHENTICATING ->
                    writeBackend(new Packet(
                            packet.sequenceId() - sequenceShift,
                            packet.payload().retain()));
                case AWAITING_CLIENT_RESPONSE -> onHandshakeResponse(packet);
                default -> throw new MalformedPacketException("unexpected packet from the client in state " + state);
            }
        } catch (MalformedPacketException e) {
            fail(packet.sequenceId() + 1, ErrPacket.ER_HANDSHAKE_ERROR, "08S01", "semisync-proxy: " + e.getMessage());
        } finally {
            packet.release();
        }
    }

    private void relayCommandPacket(final Packet packet) {
        if (dump != null) {
            dump.fromReplica(packet);
            return;
        }
        lastClientSequence = packet.sequenceId();
        lastFromClient = true;
        if (replication != null && packet.sequenceId() == 0) {
            final ReplicationCommands.Decision decision =
                    replication.onCommand(packet, clientCapabilities, client.alloc());
            if (decision instanceof ReplicationCommands.Answer answer) {
                answer.packets().forEach(client::write);
                client.flush();
                return;
            }
            if (decision instanceof ReplicationCommands.StartDump start) {
                gate = null; // a dump's answer is a binlog stream, not statement results
                dump = new ReplicaDump(start.stream(), relay, client, greeting.connectionId());
            }
        }
        if (adminQueries != null
                && packet.sequenceId() == 0
                && packet.firstByte() == Commands.COM_QUERY
                && adminQueries.onQuery(packet, clientCapabilities, this::writeBackend)) {
            if (adminQueries.checking()) {
                state = State.CHECKING_PRIVILEGE;
            }
            return;
        }
        if (gate != null) {
            gate.onCommand(packet);
            if (packet.sequenceId() == 0 && !gate.probing()) {
                // these reset or rewrite the session's tracked variables: add ours again when they succeed
                final int command = packet.firstByte();
                reapplyTracking = command == Commands.COM_CHANGE_USER
                        || command == Commands.COM_RESET_CONNECTION
                        || (command == Commands.COM_QUERY && QueryBytes.contains(packet.payload(), SESSION_TRACK));
            }
        }
        writeBackend(packet.retain());
        if (packet.sequenceId() == 0 && packet.firstByte() == Commands.COM_QUIT) {
            state = State.CLOSED;
            backend.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            client.close();
        }
    }

    private static final QueryBytes.Word SESSION_TRACK = QueryBytes.word("session_track");

    private void onPrivilegeCheck(final Packet packet) {
        adminQueries.onAnswer(packet, user);
        if (!adminQueries.checking()) {
            state = State.COMMAND;
        }
    }

    private boolean servedFromRing() {
        return dump != null && dump.servedFromRing();
    }

    private void onHandshakeResponse(final Packet packet) {
        final ByteBuf payload = packet.payload();
        final long clientCaps = HandshakeResponse.capabilities(payload);
        clientCapabilities = clientCaps;
        if (HandshakeResponse.isSslRequest(payload)) {
            if (clientTls) {
                throw new MalformedPacketException("a second SSL request");
            }
            clientTls = true;
            counters.clientUsedTls();
            client.pipeline().addFirst("tls", tls.server().newHandler(client.alloc()));
            final ByteBuf early = client.pipeline().get(PacketDecoder.class).takeRemainder();
            if (early != null) {
                // the ClientHello came in the same read as the SSL request: it belongs to the TLS handler
                client.pipeline().fireChannelRead(early);
            }
            client.read();
            return;
        }
        user = HandshakeResponse.user(payload);
        // what both sides agreed on: shapes the packets the proxy writes or parses itself
        clientCapabilities = clientCaps & greeting.capabilities();
        final boolean masterTls = Capabilities.has(greeting.capabilities(), Capabilities.CLIENT_SSL);
        long toMaster = clientCaps & ~Capabilities.FRAMING_CHANGING;
        if (clientTls && masterTls) {
            toMaster |= Capabilities.CLIENT_SSL;
        } else {
            toMaster &= ~Capabilities.CLIENT_SSL;
        }
        final ByteBuf response = payload.copy();
        HandshakeResponse.writeCapabilities(response, toMaster);
        if (clientTls && masterTls) {
            startBackendTls(response, packet.sequenceId());
        } else {
            sequenceShift = clientTls ? 1 : 0;
            state = State.AUTHENTICATING;
            backend.writeAndFlush(new Packet(packet.sequenceId() - sequenceShift, response));
        }
    }

    private void startBackendTls(final ByteBuf response, final int responseSequence) {
        state = State.BACKEND_TLS_HANDSHAKE;
        final ByteBuf sslRequest = response.retainedSlice(response.readerIndex(), HandshakeResponse.SSL_REQUEST_LENGTH);
        backend.writeAndFlush(new Packet(responseSequence - 1, sslRequest));
        final SslHandler handler = tls.client()
                .newHandler(
                        backend.alloc(), config.master().host(), config.master().port());
        backend.pipeline().addFirst("tls", handler);
        backend.read();
        handler.handshakeFuture().addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                response.release();
                fail(
                        responseSequence + 1,
                        ErrPacket.CR_CONN_HOST_ERROR,
                        "08S01",
                        "semisync-proxy: TLS handshake with master " + config.master() + " failed: "
                                + rootMessage(f.cause()));
                return;
            }
            state = State.AUTHENTICATING;
            backend.writeAndFlush(new Packet(responseSequence, response));
            backend.read();
        });
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx) {
        if (backend == null || servedFromRing()) {
            return; // with the ring serving the dump, the replica's ACKs are read whatever the closed master side does
        }
        backend.flush();
        if (state == State.COMMAND) {
            client.config().setAutoRead(backend.isWritable());
        } else if (backend.isWritable()) {
            client.read();
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx) {
        if (backend == null || state == State.CLOSED) {
            return;
        }
        if (servedFromRing()) {
            if (client.isWritable()) {
                dump.writable();
            }
            return;
        }
        if (state == State.COMMAND) {
            backend.config().setAutoRead(client.isWritable());
        } else if (client.isWritable()) {
            backend.read();
        }
    }

    // ------------------------------------------------------------------ master -> client

    void fromBackend(final Packet packet) {
        try {
            switch (state) {
                case COMMAND -> {
                    lastFromClient = false;
                    if (dump != null) {
                        if (dump.fromMaster(packet)) {
                            backend.close(); // the ring serves this replica now
                        }
                    } else if (gate == null || !gate.onResponse(packet)) {
                        if (reapplyTracking && gate.responseComplete() && packet.isOk()) {
                            // the client changed the tracked variables (drivers do on connect): add ours again
                            // before it sees its OK
                            reapplyTracking = false;
                            authOk = packet.retain();
                            enableTracking();
                        } else {
                            client.write(packet.retain(), client.voidPromise());
                        }
                    }
                }
                case AUTHENTICATING -> onAuthenticationPacket(packet);
                case CHECKING_PRIVILEGE -> onPrivilegeCheck(packet);
                case ENABLING_TRACKING -> onTrackingEnabled(packet);
                case CONNECTING -> onGreeting(packet);
                case CLOSED -> {
                    /* the client is gone: drop */
                }
                default -> throw new MalformedPacketException("unexpected packet from the master in state " + state);
            }
        } catch (MalformedPacketException e) {
            fail(0, ErrPacket.ER_HANDSHAKE_ERROR, "08S01", "semisync-proxy: bad packet from master: " + e.getMessage());
        } finally {
            packet.release();
        }
    }

    private void onGreeting(final Packet packet) {
        if (packet.isErr()) {
            // e.g. "Host is blocked" or "Too many connections": the master's own words
            state = State.CLOSED;
            client.writeAndFlush(packet.retain()).addListener(ChannelFutureListener.CLOSE);
            backend.close();
            return;
        }
        greeting = Handshake.parse(packet.payload());
        detection = DetectionMode.forServerVersion(greeting.displayVersion());
        final ByteBuf payload = packet.payload().copy();
        // The proxy cannot carry compressed framing; it always offers TLS (terminated here).
        greeting.writeCapabilities(
                payload, (greeting.capabilities() & ~Capabilities.FRAMING_CHANGING) | Capabilities.CLIENT_SSL);
        state = State.AWAITING_CLIENT_RESPONSE;
        client.writeAndFlush(new Packet(packet.sequenceId(), payload));
        client.read();
    }

    private void onAuthenticationPacket(final Packet packet) {
        final int marker = packet.firstByte();
        final Packet forClient =
                new Packet(packet.sequenceId() + sequenceShift, packet.payload().retain());
        if (marker == Packets.OK && trackingWanted()) {
            authOk = forClient;
            enableTracking();
            return;
        }
        client.write(forClient);
        if (marker == Packets.OK) {
            enterCommandPhase(false);
        } else if (marker == Packets.ERR) {
            state = State.CLOSED;
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            backend.close();
        }
    }

    /**
     * GTIDs in OK packets need the client's CLIENT_SESSION_TRACK (the format changes) and a master that reports them
     * (MariaDB 10.2.16+ / 10.3.8+, MySQL 5.7+); other sessions use position probes.
     */
    private boolean trackingWanted() {
        return tracker != null
                && Capabilities.has(clientCapabilities, Capabilities.CLIENT_SESSION_TRACK)
                && Capabilities.has(greeting.capabilities(), Capabilities.CLIENT_SESSION_TRACK)
                && detection.tracking();
    }

    /**
     * Asks the master to report each transaction's GTID in its OK ({@code last_gtid} on MariaDB, {@code OWN_GTID} on
     * MySQL); the answer is not relayed. {@link #authOk} waits meanwhile.
     */
    private void enableTracking() {
        // one statement for either kind of master; MariaDB's list is extended, not replaced, and never twice
        final String sql = detection.trackingStatements().get(0);
        final boolean authenticating = state == State.AUTHENTICATING;
        state = State.ENABLING_TRACKING;
        trackingAfterAuth = authenticating;
        backend.writeAndFlush(InternalQuery.command(backend.alloc(), sql));
        if (!backend.config().isAutoRead()) {
            backend.read();
        }
    }

    private void onTrackingEnabled(final Packet packet) {
        if (packet.isErr()) {
            LOG.warn(
                    "commit-gate - master {} refused GTID tracking ({}): commits of {} are not held",
                    config.master(),
                    ErrPacket.parse(packet.payload()).message(),
                    client.remoteAddress());
        }
        final boolean trackingOn = !packet.isErr();
        client.write(authOk);
        authOk = null;
        client.flush();
        if (trackingAfterAuth) {
            enterCommandPhase(trackingOn);
        } else {
            state = State.COMMAND;
        }
    }

    private void enterCommandPhase(final boolean tracking) {
        state = State.COMMAND;
        handshakeTimeout.cancel(false);
        if (tracking) {
            gate = new CommitGate(tracker, null, client, clientCapabilities);
        } else if (tracker != null && probes != null) {
            gate = new CommitGate(tracker, probes, client, clientCapabilities);
        }
        // From here on both sides read on their own (no read() round trip per batch, which costs an epoll_ctl each
        // time); a side stops reading only while the other side's outbound buffer is over its high mark.
        client.config().setAutoRead(true);
        backend.config().setAutoRead(true);
        counters.clientAuthenticated();
        LOG.debug(
                "client - {} authenticated as '{}' (master connection id {}, commits {})",
                client.remoteAddress(),
                user,
                greeting.connectionId(),
                gate == null ? "not held" : gate.probing() ? "held, found by position probes" : "held, found by GTID");
    }

    void backendReadComplete() {
        client.flush();
        if (state == State.COMMAND) {
            backend.config().setAutoRead(client.isWritable());
        } else if (client.isWritable() && state != State.CLOSED) {
            backend.read();
        }
    }

    void backendWritabilityChanged() {
        if (servedFromRing()) {
            return;
        }
        if (state == State.COMMAND) {
            client.config().setAutoRead(backend.isWritable());
        } else if (backend.isWritable() && state != State.CLOSED) {
            client.read();
        }
    }

    void backendClosed(final Throwable cause) {
        if (state == State.CLOSED || servedFromRing()) {
            return;
        }
        final String reason = cause == null ? "closed the connection" : rootMessage(cause);
        LOG.info("client - master {} {} under client {}", config.master(), reason, client.remoteAddress());
        final int sequence = state == State.COMMAND ? (lastFromClient ? lastClientSequence + 1 : 1) : 0;
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
        if (dump != null) {
            dump.closed();
            dump = null;
        }
        if (gate != null) {
            gate.closed();
        }
        if (authOk != null) {
            authOk.release();
            authOk = null;
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
        LOG.info("client - {} failed: {}", client.remoteAddress(), rootMessage(cause));
        state = State.CLOSED;
        client.close();
        if (backend != null) {
            backend.close();
        }
    }

    private void handshakeTimedOut() {
        if (state != State.COMMAND && state != State.CLOSED) {
            fail(
                    state == State.CONNECTING ? 0 : 2,
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

    private void writeBackend(final Packet packet) {
        if (backend == null || !backend.isActive()) {
            ReferenceCountUtil.release(packet);
            return;
        }
        backend.write(packet, backend.voidPromise());
    }

    private static String rootMessage(final Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
