package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * An OK packet as sent on a connection that negotiated CLIENT_SESSION_TRACK: affected rows, insert id, status,
 * warnings, a length-encoded info string and, when {@link ServerStatus#SESSION_STATE_CHANGED} is set, the
 * session-state block. Reads the transaction's GTID from that block — MariaDB's {@code last_gtid} system variable
 * (type 0) or MySQL's GTID tracker (type 3) — and can re-encode the packet for a client that did not negotiate
 * session tracking (info as a plain string, no state block, flag cleared).
 */
public final class OkPacket {
    private static final int SESSION_TRACK_SYSTEM_VARIABLES = 0;
    private static final int SESSION_TRACK_GTIDS = 3;

    private final long affectedRows;
    private final long lastInsertId;
    private final int status;
    private final int warnings;
    private final byte[] info;
    private final String gtid;

    private OkPacket(
            final long affectedRows,
            final long lastInsertId,
            final int status,
            final int warnings,
            final byte[] info,
            final String gtid) {
        this.affectedRows = affectedRows;
        this.lastInsertId = lastInsertId;
        this.status = status;
        this.warnings = warnings;
        this.info = info;
        this.gtid = gtid;
    }

    /**
     * Parses an OK payload ({@code 0x00} header, or {@code 0xFE} for an OK that ends a result set) of a connection
     * with CLIENT_SESSION_TRACK. The reader index is not moved.
     */
    public static OkPacket parseTracked(final ByteBuf payload) {
        final ByteBuf p = payload.duplicate();
        p.skipBytes(1);
        final long affected = LenEnc.readInt(p);
        final long insertId = LenEnc.readInt(p);
        if (p.readableBytes() < 4) {
            throw new MalformedPacketException("OK packet truncated before its status flags");
        }
        final int status = p.readUnsignedShortLE();
        final int warnings = p.readUnsignedShortLE();
        byte[] info = new byte[0];
        String gtid = null;
        if (p.isReadable()) {
            final long infoLength = LenEnc.readInt(p);
            if (infoLength > p.readableBytes()) {
                throw new MalformedPacketException("OK packet info longer than the packet");
            }
            info = new byte[(int) infoLength];
            p.readBytes(info);
            if ((status & ServerStatus.SESSION_STATE_CHANGED) != 0 && p.isReadable()) {
                gtid = gtidFromState(p);
            }
        }
        return new OkPacket(affected, insertId, status, warnings, info, gtid);
    }

    private static String gtidFromState(final ByteBuf p) {
        final long total = LenEnc.readInt(p);
        final int end = p.readerIndex() + (int) Math.min(total, p.readableBytes());
        String gtid = null;
        while (p.readerIndex() < end) {
            final int type = p.readUnsignedByte();
            final long length = LenEnc.readInt(p);
            final int next = p.readerIndex() + (int) length;
            if (type == SESSION_TRACK_SYSTEM_VARIABLES) {
                final String name = LenEnc.readString(p);
                final String value = LenEnc.readString(p);
                if ("last_gtid".equalsIgnoreCase(name) && !value.isEmpty()) {
                    gtid = value;
                }
            } else if (type == SESSION_TRACK_GTIDS && length > 1) {
                p.skipBytes(1); // encoding specification, always 0
                final String value = LenEnc.readString(p);
                if (!value.isEmpty()) {
                    gtid = value;
                }
            }
            p.readerIndex(next);
        }
        return gtid;
    }

    /** Warnings the statement raised. */
    public int warnings() {
        return warnings;
    }

    /** Rows the statement changed (or matched, for a client that asked for CLIENT_FOUND_ROWS). */
    public long affectedRows() {
        return affectedRows;
    }

    /** The GTID the statement wrote, or {@code null} (nothing binlogged, or not tracked). */
    public String gtid() {
        return gtid;
    }

    public int status() {
        return status;
    }

    /** The same OK for a client without CLIENT_SESSION_TRACK: info as the rest of the packet, no state block. */
    public ByteBuf encodeUntracked(final ByteBufAllocator alloc, final int header) {
        final ByteBuf out = alloc.buffer(16 + info.length);
        out.writeByte(header);
        LenEnc.writeInt(out, affectedRows);
        LenEnc.writeInt(out, lastInsertId);
        out.writeShortLE(status & ~ServerStatus.SESSION_STATE_CHANGED).writeShortLE(warnings);
        out.writeBytes(info);
        return out;
    }

    @Override
    public String toString() {
        return "OK(affected=" + affectedRows + ", status=0x" + Integer.toHexString(status) + ", gtid=" + gtid
                + ", info=" + new String(info, StandardCharsets.UTF_8) + ")";
    }
}
