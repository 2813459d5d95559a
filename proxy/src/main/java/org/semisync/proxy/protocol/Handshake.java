package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The server's initial handshake packet (protocol version 10), read where the proxy needs it: server version,
 * connection id and capability flags. Capabilities are patched in place on the payload, so everything else (the
 * scramble, the auth plugin name) reaches the client byte for byte.
 */
public final class Handshake {
    /** MariaDB servers prefix their version with this when talking to old clients ("5.5.5-10.2.11-MariaDB"). */
    private static final String MARIADB_RPL_HACK = "5.5.5-";

    private final String serverVersion;
    private final long connectionId;
    private final int lowerCapabilitiesOffset;
    private final int upperCapabilitiesOffset;
    private final int extendedCapabilitiesOffset;
    private final long capabilities;

    private Handshake(
            final String serverVersion,
            final long connectionId,
            final int lowerOffset,
            final int upperOffset,
            final int extendedOffset,
            final long capabilities) {
        this.serverVersion = serverVersion;
        this.connectionId = connectionId;
        this.lowerCapabilitiesOffset = lowerOffset;
        this.upperCapabilitiesOffset = upperOffset;
        this.extendedCapabilitiesOffset = extendedOffset;
        this.capabilities = capabilities;
    }

    /**
     * Parses a greeting payload without moving its reader index.
     *
     * @throws MalformedPacketException when it is not a protocol-10 greeting
     */
    public static Handshake parse(final ByteBuf payload) {
        final ByteBuf p = payload.duplicate();
        final int start = p.readerIndex();
        if (!p.isReadable() || p.readUnsignedByte() != 10) {
            throw new MalformedPacketException("not a protocol-10 server greeting");
        }
        final String version = LenEnc.readNullTerminated(p, StandardCharsets.US_ASCII);
        if (p.readableBytes() < 4 + 8 + 1 + 2) {
            throw new MalformedPacketException("server greeting truncated after the version");
        }
        final long connectionId = p.readUnsignedIntLE();
        p.skipBytes(8 + 1);
        final int lowerOffset = p.readerIndex() - start;
        long caps = p.readUnsignedShortLE();
        int upperOffset = -1;
        int extendedOffset = -1;
        if (p.readableBytes() >= 1 + 2 + 2 + 1 + 10) {
            p.skipBytes(1 + 2);
            upperOffset = p.readerIndex() - start;
            caps |= (long) p.readUnsignedShortLE() << 16;
            p.skipBytes(1 + 6);
            if ((caps & Capabilities.CLIENT_MYSQL) == 0) {
                extendedOffset = p.readerIndex() - start;
                caps |= p.getUnsignedIntLE(p.readerIndex()) << 32;
            }
        }
        return new Handshake(version, connectionId, lowerOffset, upperOffset, extendedOffset, caps);
    }

    /** The version string as sent (MariaDB's "5.5.5-" prefix included). */
    public String serverVersion() {
        return serverVersion;
    }

    /** Whether the server is MariaDB (as opposed to MySQL). */
    public boolean isMariaDb() {
        return serverVersion.contains("MariaDB");
    }

    /** The version without MariaDB's replication prefix, e.g. {@code 10.2.11-MariaDB}. */
    public String displayVersion() {
        return serverVersion.startsWith(MARIADB_RPL_HACK)
                ? serverVersion.substring(MARIADB_RPL_HACK.length())
                : serverVersion;
    }

    /** The server's connection (thread) id for this session. */
    public long connectionId() {
        return connectionId;
    }

    /** All capability flags offered, MariaDB's extended ones in the upper 32 bits. */
    public long capabilities() {
        return capabilities;
    }

    /**
     * Writes {@code caps} into a copy of this greeting's payload (in place). MariaDB's extended bits are written only
     * where the server sent them.
     */
    public long writeCapabilities(final ByteBuf payload, final long caps) {
        final int base = payload.readerIndex();
        payload.setShortLE(base + lowerCapabilitiesOffset, (int) (caps & 0xFFFF));
        if (upperCapabilitiesOffset >= 0) {
            payload.setShortLE(base + upperCapabilitiesOffset, (int) ((caps >>> 16) & 0xFFFF));
        }
        if (extendedCapabilitiesOffset >= 0) {
            payload.setIntLE(base + extendedCapabilitiesOffset, (int) (caps >>> 32));
        }
        return caps;
    }
}
