package org.semisync.proxy.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.logging.Causes;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.Handshake;
import org.semisync.proxy.protocol.HandshakeResponse;
import org.semisync.proxy.protocol.MalformedPacketException;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.PacketDecoder;
import org.semisync.proxy.protocol.Packets;
import org.semisync.proxy.tls.TlsContexts;

/**
 * The login of one client: the master's greeting and the whole authentication exchange relayed byte for byte, so the
 * master decides who gets in. The proxy only adjusts capability flags (compression off, TLS terminated here) and,
 * when TLS is used on one side only, the sequence ids of the authentication packets. On the session's event loop.
 */
final class LoginRelay {
    /** Where the login stands. */
    enum Phase {
        GREETING,
        CLIENT_RESPONSE,
        BACKEND_TLS,
        AUTHENTICATING,
        DONE
    }

    /** What the session does with the outcome. */
    interface Outcome {
        /** The master accepted the client: {@code ok} (owned) is its OK, with the client's sequence id. */
        void authenticated(Packet ok);

        /** Sends an ERR to the client and closes both sides. */
        void fail(int sequence, int code, String sqlState, String message);

        /** The master refused the client with its own ERR, already written: close both sides. */
        void refused();
    }

    private final Channel client;
    private final Channel backend;
    private final TlsContexts tls;
    private final HostPort master;
    private final SessionCounters counters;
    private final Outcome outcome;

    private Phase phase = Phase.GREETING;
    private Handshake greeting;
    private long capabilities;
    private String user = "";
    private boolean clientTls;
    /** Client sequence id minus master sequence id during authentication (1 when only the client used TLS). */
    private int sequenceShift;

    LoginRelay(
            final Channel client,
            final Channel backend,
            final TlsContexts tls,
            final HostPort master,
            final SessionCounters counters,
            final Outcome outcome) {
        this.client = client;
        this.backend = backend;
        this.tls = tls;
        this.master = master;
        this.counters = counters;
        this.outcome = outcome;
    }

    Phase phase() {
        return phase;
    }

    /** The master's greeting (after {@link Phase#GREETING}). */
    Handshake greeting() {
        return greeting;
    }

    /** What client and master agreed on: shapes the packets the proxy writes or parses itself. */
    long capabilities() {
        return capabilities;
    }

    String user() {
        return user;
    }

    /** A packet from the client during the login. Does not take ownership. */
    void fromClient(final Packet packet) {
        switch (phase) {
            case CLIENT_RESPONSE -> onHandshakeResponse(packet);
            case AUTHENTICATING ->
                backend.write(
                        new Packet(
                                packet.sequenceId() - sequenceShift,
                                packet.payload().retain()),
                        backend.voidPromise());
            default ->
                throw new MalformedPacketException("unexpected packet from the client during login (" + phase + ")");
        }
    }

    /** A packet from the master during the login. Does not take ownership. */
    void fromMaster(final Packet packet) {
        switch (phase) {
            case GREETING -> onGreeting(packet);
            case AUTHENTICATING -> onAuthenticationPacket(packet);
            default ->
                throw new MalformedPacketException("unexpected packet from the master during login (" + phase + ")");
        }
    }

    private void onGreeting(final Packet packet) {
        if (packet.isErr()) {
            // e.g. "Host is blocked" or "Too many connections": the master's own words
            phase = Phase.DONE;
            client.writeAndFlush(packet.retain()).addListener(ChannelFutureListener.CLOSE);
            outcome.refused();
            return;
        }
        greeting = Handshake.parse(packet.payload());
        final ByteBuf payload = packet.payload().copy();
        // The proxy cannot carry compressed framing; it always offers TLS (terminated here).
        greeting.writeCapabilities(
                payload, (greeting.capabilities() & ~Capabilities.FRAMING_CHANGING) | Capabilities.CLIENT_SSL);
        phase = Phase.CLIENT_RESPONSE;
        client.writeAndFlush(new Packet(packet.sequenceId(), payload));
        client.read();
    }

    private void onHandshakeResponse(final Packet packet) {
        final ByteBuf payload = packet.payload();
        final long clientCaps = HandshakeResponse.capabilities(payload);
        capabilities = clientCaps;
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
        capabilities = clientCaps & greeting.capabilities();
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
            phase = Phase.AUTHENTICATING;
            backend.writeAndFlush(new Packet(packet.sequenceId() - sequenceShift, response));
        }
    }

    private void startBackendTls(final ByteBuf response, final int responseSequence) {
        phase = Phase.BACKEND_TLS;
        final ByteBuf sslRequest = response.retainedSlice(response.readerIndex(), HandshakeResponse.SSL_REQUEST_LENGTH);
        backend.writeAndFlush(new Packet(responseSequence - 1, sslRequest));
        final SslHandler handler = tls.client().newHandler(backend.alloc(), master.host(), master.port());
        backend.pipeline().addFirst("tls", handler);
        backend.read();
        handler.handshakeFuture().addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                response.release();
                outcome.fail(
                        responseSequence + 1,
                        ErrPacket.CR_CONN_HOST_ERROR,
                        "08S01",
                        "semisync-proxy: TLS handshake with master " + master + " failed: "
                                + Causes.rootMessage(f.cause()));
                return;
            }
            phase = Phase.AUTHENTICATING;
            backend.writeAndFlush(new Packet(responseSequence, response));
            backend.read();
        });
    }

    private void onAuthenticationPacket(final Packet packet) {
        final int marker = packet.firstByte();
        final Packet forClient =
                new Packet(packet.sequenceId() + sequenceShift, packet.payload().retain());
        if (marker == Packets.OK) {
            phase = Phase.DONE;
            outcome.authenticated(forClient);
            return;
        }
        client.write(forClient);
        if (marker == Packets.ERR) {
            phase = Phase.DONE;
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            outcome.refused();
        }
    }
}
