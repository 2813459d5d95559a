package org.semisync.proxy.upstream;

import static org.semisync.proxy.protocol.Capabilities.CLIENT_CONNECT_ATTRS;
import static org.semisync.proxy.protocol.Capabilities.CLIENT_LONG_FLAG;
import static org.semisync.proxy.protocol.Capabilities.CLIENT_LONG_PASSWORD;
import static org.semisync.proxy.protocol.Capabilities.CLIENT_PLUGIN_AUTH;
import static org.semisync.proxy.protocol.Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;
import static org.semisync.proxy.protocol.Capabilities.CLIENT_PROTOCOL_41;
import static org.semisync.proxy.protocol.Capabilities.CLIENT_SECURE_CONNECTION;
import static org.semisync.proxy.protocol.Capabilities.CLIENT_TRANSACTIONS;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Consumer;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.Handshake;
import org.semisync.proxy.protocol.LenEnc;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.Packets;

/**
 * The client side of the login: answers the master's greeting with a handshake response (no TLS, no default schema)
 * and its auth exchange (auth switch, caching_sha2 fast and full authentication) until the OK. Single-threaded.
 */
final class MasterLogin {
    private static final long WANTED = CLIENT_LONG_PASSWORD
            | CLIENT_LONG_FLAG
            | CLIENT_PROTOCOL_41
            | CLIENT_TRANSACTIONS
            | CLIENT_SECURE_CONNECTION
            | CLIENT_PLUGIN_AUTH
            | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
            | CLIENT_CONNECT_ATTRS;
    private static final int UTF8_GENERAL_CI = 33;
    private static final int MAX_PACKET = 1 << 24;
    /** caching_sha2 after the scrambled password: 3 = accepted from the cache, 4 = send the password itself. */
    private static final int FAST_AUTH_OK = 3;

    private static final int FULL_AUTH_NEEDED = 4;
    private static final int REQUEST_PUBLIC_KEY = 2;
    /** Errors that a retry cannot mend: wrong user or password, or no auth method in common. */
    private static final Set<Integer> REFUSALS = Set.of(1044, 1045, 1251, 1698, 1862);

    private final String user;
    private final byte[] password;
    private Handshake greeting;
    private long capabilities;
    private byte[] scramble;
    private String plugin;
    private boolean awaitingPublicKey;

    MasterLogin(final String user, final String password) {
        this.user = user;
        this.password = AuthResponses.utf8(password);
    }

    /** The capabilities this login negotiated, once {@link #respond} sent them. */
    long capabilities() {
        return capabilities;
    }

    /** The greeting, once {@link #respond} read it. */
    Handshake greeting() {
        return greeting;
    }

    /**
     * Reads the greeting and returns the handshake response.
     *
     * @throws MasterRefusedException when the server refuses connections (ERR) or is too old for the 4.1 protocol
     */
    Packet respond(final Packet greetingPacket, final ByteBufAllocator alloc) {
        if (greetingPacket.isErr()) {
            throw refused(ErrPacket.parse(greetingPacket.payload()));
        }
        greeting = Handshake.parse(greetingPacket.payload());
        if (!Capabilities.has(greeting.capabilities(), CLIENT_PROTOCOL_41)
                || !Capabilities.has(greeting.capabilities(), CLIENT_SECURE_CONNECTION)) {
            throw new MasterRefusedException(
                    "the master (" + greeting.displayVersion() + ") does not speak the 4.1 protocol");
        }
        scramble = greeting.scramble();
        plugin = greeting.authPlugin();
        final long caps = WANTED & greeting.capabilities();
        capabilities = caps;
        final byte[] auth = AuthResponses.forPlugin(plugin, password, scramble);
        final ByteBuf p = alloc.buffer(128);
        p.writeIntLE((int) caps)
                .writeIntLE(MAX_PACKET)
                .writeByte(UTF8_GENERAL_CI)
                .writeZero(23);
        p.writeCharSequence(user, StandardCharsets.UTF_8);
        p.writeByte(0);
        if (Capabilities.has(caps, CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
            LenEnc.writeBytes(p, auth);
        } else {
            p.writeByte(auth.length).writeBytes(auth);
        }
        if (Capabilities.has(caps, CLIENT_PLUGIN_AUTH)) {
            p.writeCharSequence(plugin, StandardCharsets.US_ASCII);
            p.writeByte(0);
        }
        if (Capabilities.has(caps, CLIENT_CONNECT_ATTRS)) {
            // shown in performance_schema.session_connect_attrs, so a DBA can tell the tail from a replica
            final ByteBuf attrs = alloc.buffer(64);
            LenEnc.writeString(attrs, "_client_name");
            LenEnc.writeString(attrs, "semisync-proxy");
            LenEnc.writeString(attrs, "program_name");
            LenEnc.writeString(attrs, "semisync-proxy binlog tail");
            LenEnc.writeInt(p, attrs.readableBytes());
            p.writeBytes(attrs);
            attrs.release();
        }
        return new Packet(greetingPacket.sequenceId() + 1, p);
    }

    /**
     * One packet of the auth exchange; replies go to {@code reply}.
     *
     * @return whether the login is complete (the master sent OK)
     * @throws MasterRefusedException when the master refuses the login for good
     * @throws MasterErrorException for any other ERR
     */
    boolean onAuthPacket(final Packet in, final ByteBufAllocator alloc, final Consumer<Packet> reply) {
        final ByteBuf payload = in.payload();
        final int next = in.sequenceId() + 1;
        switch (in.firstByte()) {
            case Packets.OK -> {
                return true;
            }
            case Packets.ERR -> throw refused(ErrPacket.parse(payload));
            case Packets.AUTH_SWITCH_REQUEST -> {
                final ByteBuf p = payload.duplicate().skipBytes(1);
                plugin = LenEnc.readNullTerminated(p, StandardCharsets.US_ASCII);
                scramble = ByteBufUtil.getBytes(p);
                reply.accept(new Packet(next, bytes(alloc, AuthResponses.forPlugin(plugin, password, scramble))));
            }
            case Packets.AUTH_MORE_DATA -> moreData(payload, next, alloc, reply);
            default ->
                throw new MasterRefusedException(
                        "unexpected packet 0x" + Integer.toHexString(in.firstByte()) + " during the login");
        }
        return false;
    }

    private void moreData(
            final ByteBuf payload, final int next, final ByteBufAllocator alloc, final Consumer<Packet> reply) {
        if (!AuthResponses.CACHING_SHA2_PASSWORD.equals(plugin)) {
            throw new MasterRefusedException("the master's auth plugin " + plugin + " wants more than the tail speaks");
        }
        if (awaitingPublicKey) {
            final String pem =
                    payload.toString(payload.readerIndex() + 1, payload.readableBytes() - 1, StandardCharsets.US_ASCII);
            reply.accept(new Packet(next, bytes(alloc, AuthResponses.rsaEncryptedPassword(password, scramble, pem))));
            awaitingPublicKey = false;
            return;
        }
        final int status = payload.readableBytes() > 1 ? payload.getUnsignedByte(payload.readerIndex() + 1) : -1;
        if (status == FULL_AUTH_NEEDED) {
            // no TLS: ask for the server's RSA key rather than send the password in clear
            awaitingPublicKey = true;
            reply.accept(new Packet(next, alloc.buffer(1).writeByte(REQUEST_PUBLIC_KEY)));
        } else if (status != FAST_AUTH_OK) {
            throw new MasterRefusedException("unexpected caching_sha2_password status " + status);
        }
    }

    private RuntimeException refused(final ErrPacket err) {
        final String text = "the master refused the login of " + user + ": #" + err.errorCode() + " " + err.message();
        return REFUSALS.contains(err.errorCode())
                ? new MasterRefusedException(text)
                : new MasterErrorException(text, err);
    }

    private static ByteBuf bytes(final ByteBufAllocator alloc, final byte[] bytes) {
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }
}
