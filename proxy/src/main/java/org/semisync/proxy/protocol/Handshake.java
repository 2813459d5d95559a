package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
    private final byte[] scramble;
    private final String authPlugin;

    private Handshake(
            final String serverVersion,
            final long connectionId,
            final int lowerOffset,
            final int upperOffset,
            final int extendedOffset,
            final long capabilities,
            final byte[] scramble,
            final String authPlugin) {
        this.scramble = scramble;
        this.authPlugin = authPlugin;
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
        final byte[] scramble1 = new byte[8];
        p.readBytes(scramble1).skipBytes(1);
        final int lowerOffset = p.readerIndex() - start;
        long caps = p.readUnsignedShortLE();
        int upperOffset = -1;
        int extendedOffset = -1;
        byte[] scramble = scramble1;
        String plugin = "mysql_native_password";
        if (p.readableBytes() >= 1 + 2 + 2 + 1 + 10) {
            p.skipBytes(1 + 2);
            upperOffset = p.readerIndex() - start;
            caps |= (long) p.readUnsignedShortLE() << 16;
            final int authDataLength = p.readUnsignedByte();
            p.skipBytes(6);
            if ((caps & Capabilities.CLIENT_MYSQL) == 0) {
                extendedOffset = p.readerIndex() - start;
                caps |= p.getUnsignedIntLE(p.readerIndex()) << 32;
            }
            p.skipBytes(4);
            if ((caps & Capabilities.CLIENT_SECURE_CONNECTION) != 0) {
                // part 2 is at least 13 bytes, the last of them a NUL that is not part of the scramble
                final int length = Math.min(p.readableBytes(), Math.max(13, authDataLength - 8));
                final byte[] part2 = new byte[length];
                p.readBytes(part2);
                final int used = length > 0 && part2[length - 1] == 0 ? length - 1 : length;
                scramble = Arrays.copyOf(scramble1, 8 + used);
                System.arraycopy(part2, 0, scramble, 8, used);
            }
            if ((caps & Capabilities.CLIENT_PLUGIN_AUTH) != 0 && p.isReadable()) {
                // MySQL 5.5.7–5.5.9 sent the name without its NUL
                final int end = p.indexOf(p.readerIndex(), p.writerIndex(), (byte) 0);
                plugin = p.toString(
                        p.readerIndex(),
                        (end < 0 ? p.writerIndex() : end) - p.readerIndex(),
                        StandardCharsets.US_ASCII);
            }
        }
        return new Handshake(version, connectionId, lowerOffset, upperOffset, extendedOffset, caps, scramble, plugin);
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

    /** The auth challenge (20 bytes from current servers), for a client that logs in itself. */
    public byte[] scramble() {
        return scramble.clone();
    }

    /** The auth plugin the server asks for first ({@code mysql_native_password} when the greeting names none). */
    public String authPlugin() {
        return authPlugin;
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
