package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The client's reply to the greeting (HandshakeResponse41), or its short form, the SSL request (the first 32 bytes,
 * sent before the TLS handshake). Capability flags are read and patched in place; the rest is relayed unchanged.
 */
public final class HandshakeResponse {
    /** Length of an SSL request: capabilities, max packet size, charset, 23 filler bytes. */
    public static final int SSL_REQUEST_LENGTH = 32;

    private static final int EXTENDED_CAPABILITIES_OFFSET = 28;

    private HandshakeResponse() {}

    /** The capability flags (MariaDB's extended ones in the upper 32 bits when the client is MariaDB-aware). */
    public static long capabilities(final ByteBuf payload) {
        if (payload.readableBytes() < SSL_REQUEST_LENGTH) {
            throw new MalformedPacketException(
                    "handshake response of " + payload.readableBytes() + " bytes, at least 32 expected");
        }
        final int base = payload.readerIndex();
        long caps = payload.getUnsignedIntLE(base);
        if ((caps & Capabilities.CLIENT_MYSQL) == 0) {
            caps |= payload.getUnsignedIntLE(base + EXTENDED_CAPABILITIES_OFFSET) << 32;
        }
        if ((caps & Capabilities.CLIENT_PROTOCOL_41) == 0) {
            throw new MalformedPacketException("clients without CLIENT_PROTOCOL_41 are not supported");
        }
        return caps;
    }

    /** Whether the payload is an SSL request (the client wants TLS before sending its credentials). */
    public static boolean isSslRequest(final ByteBuf payload) {
        return payload.readableBytes() == SSL_REQUEST_LENGTH
                && (payload.getUnsignedIntLE(payload.readerIndex()) & Capabilities.CLIENT_SSL) != 0;
    }

    /** Rewrites the lower 32 capability bits in place (extended MariaDB bits are left alone). */
    public static void writeCapabilities(final ByteBuf payload, final long capabilities) {
        payload.setIntLE(payload.readerIndex(), (int) capabilities);
    }

    /** The user name, for logs; empty for an SSL request. */
    public static String user(final ByteBuf payload) {
        if (payload.readableBytes() <= SSL_REQUEST_LENGTH) {
            return "";
        }
        final ByteBuf p = payload.duplicate();
        p.skipBytes(SSL_REQUEST_LENGTH);
        return LenEnc.readNullTerminated(p, StandardCharsets.UTF_8);
    }
}
