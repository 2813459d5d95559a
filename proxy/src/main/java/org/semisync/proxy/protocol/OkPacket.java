package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An OK packet (or an OK sent as EOF under CLIENT_DEPRECATE_EOF, marker 0xFE):
 * {@code [marker][lenenc affected rows][lenenc last insert id][status u16][warnings u16]} then, under
 * CLIENT_SESSION_TRACK, {@code [lenenc info]} and, when the status has SESSION_STATE_CHANGED,
 * {@code [lenenc block of (type, lenenc data) entries]}; without CLIENT_SESSION_TRACK the info is the rest of the
 * packet. MariaDB omits the info byte entirely when it is empty and no state follows, so it is optional here.
 *
 * @param marker 0x00, or 0xFE for the OK that ends a result set under CLIENT_DEPRECATE_EOF
 * @param sessionState the session-state entries; empty unless {@link ServerStatus#SESSION_STATE_CHANGED} is set
 */
public record OkPacket(
        int marker,
        long affectedRows,
        long lastInsertId,
        int status,
        int warnings,
        String info,
        List<SessionStateChange> sessionState) {

    public OkPacket {
        if (marker != Packets.OK && marker != Packets.EOF) {
            throw new IllegalArgumentException(String.format("OK marker must be 0x00 or 0xFE: 0x%02x", marker));
        }
        info = info == null ? "" : info;
        sessionState = List.copyOf(sessionState);
        if (!sessionState.isEmpty() && (status & ServerStatus.SESSION_STATE_CHANGED) == 0) {
            throw new IllegalArgumentException("session-state entries need SESSION_STATE_CHANGED in the status");
        }
    }

    /** A plain OK with the given status and no info. */
    public static OkPacket of(final long affectedRows, final long lastInsertId, final int status, final int warnings) {
        return new OkPacket(Packets.OK, affectedRows, lastInsertId, status, warnings, "", List.of());
    }

    /**
     * Parses an OK payload as framed for a peer with {@code capabilities}; the reader index is left unchanged.
     *
     * @throws MalformedPacketException if the payload is not a well-formed OK
     */
    public static OkPacket parse(final ByteBuf payload, final long capabilities) {
        final ByteBuf p = payload.duplicate();
        if (!p.isReadable()) {
            throw new MalformedPacketException("empty OK packet");
        }
        final int marker = p.readUnsignedByte();
        if (marker != Packets.OK && marker != Packets.EOF) {
            throw new MalformedPacketException(String.format("not an OK packet: marker 0x%02x", marker));
        }
        final long affected = LenEnc.readInt(p);
        final long insertId = LenEnc.readInt(p);
        if (p.readableBytes() < 4) {
            throw new MalformedPacketException("OK packet without status and warnings");
        }
        final int status = p.readUnsignedShortLE();
        final int warnings = p.readUnsignedShortLE();
        if (!Capabilities.has(capabilities, Capabilities.CLIENT_SESSION_TRACK)) {
            return new OkPacket(
                    marker, affected, insertId, status, warnings, p.toString(StandardCharsets.UTF_8), List.of());
        }
        final String info = p.isReadable() ? LenEnc.readString(p) : "";
        final List<SessionStateChange> state = new ArrayList<>();
        if ((status & ServerStatus.SESSION_STATE_CHANGED) != 0 && p.isReadable()) {
            final long blockLength = LenEnc.readInt(p);
            if (blockLength > p.readableBytes()) {
                throw new MalformedPacketException(
                        "session-state block of " + blockLength + " bytes, only " + p.readableBytes() + " left");
            }
            final ByteBuf block = p.readSlice((int) blockLength);
            while (block.isReadable()) {
                final int type = block.readUnsignedByte();
                final long length = LenEnc.readInt(block);
                if (length > block.readableBytes()) {
                    throw new MalformedPacketException("session-state entry of " + length + " bytes, only "
                            + block.readableBytes() + " left in the block");
                }
                final byte[] data = new byte[(int) length];
                block.readBytes(data);
                state.add(new SessionStateChange(type, data));
            }
        }
        return new OkPacket(marker, affected, insertId, status, warnings, info, state);
    }

    /** Whether {@code payload} starts like an OK packet (marker 0x00 and long enough). */
    public static boolean isOk(final ByteBuf payload) {
        return payload.readableBytes() >= 7 && payload.getUnsignedByte(payload.readerIndex()) == Packets.OK;
    }

    /** The value of tracked system variable {@code name} (MariaDB {@code last_gtid}, ...) if this OK reports it. */
    public Optional<String> systemVariable(final String name) {
        String found = null;
        for (final SessionStateChange change : sessionState) {
            final Optional<String[]> v = change.systemVariable();
            if (v.isPresent() && v.get()[0].equalsIgnoreCase(name)) {
                found = v.get()[1];
            }
        }
        return Optional.ofNullable(found);
    }

    /** The GTIDs of a MySQL type-3 entry (session_track_gtids), if present. */
    public Optional<String> trackedGtids() {
        String found = null;
        for (final SessionStateChange change : sessionState) {
            final Optional<String> g = change.gtidText();
            if (g.isPresent()) {
                found = g.get();
            }
        }
        return Optional.ofNullable(found);
    }

    /** This OK without any session-state entries and without the SESSION_STATE_CHANGED flag. */
    public OkPacket withoutSessionState() {
        return new OkPacket(
                marker,
                affectedRows,
                lastInsertId,
                status & ~ServerStatus.SESSION_STATE_CHANGED,
                warnings,
                info,
                List.of());
    }

    /** This OK keeping only the entries {@code keep} accepts; the flag is cleared if none is left. */
    public OkPacket retainSessionState(final java.util.function.Predicate<SessionStateChange> keep) {
        final List<SessionStateChange> kept = sessionState.stream().filter(keep).toList();
        final int flags = kept.isEmpty() ? status & ~ServerStatus.SESSION_STATE_CHANGED : status;
        return new OkPacket(marker, affectedRows, lastInsertId, flags, warnings, info, kept);
    }

    /**
     * Encodes the payload (no header) for a peer with {@code capabilities}. Without CLIENT_SESSION_TRACK the
     * session state cannot be represented: call {@link #withoutSessionState()} first.
     */
    public ByteBuf encode(final ByteBufAllocator alloc, final long capabilities) {
        final boolean track = Capabilities.has(capabilities, Capabilities.CLIENT_SESSION_TRACK);
        if (!track && !sessionState.isEmpty()) {
            throw new IllegalStateException("session state for a peer without CLIENT_SESSION_TRACK");
        }
        final byte[] text = info.getBytes(StandardCharsets.UTF_8);
        int blockLength = 0;
        for (final SessionStateChange change : sessionState) {
            blockLength += change.encodedSize();
        }
        final ByteBuf buf = alloc.buffer(32 + text.length + blockLength);
        buf.writeByte(marker);
        LenEnc.writeInt(buf, affectedRows);
        LenEnc.writeInt(buf, lastInsertId);
        buf.writeShortLE(status).writeShortLE(warnings);
        if (!track) {
            buf.writeBytes(text);
        } else if (text.length > 0 || !sessionState.isEmpty()) {
            LenEnc.writeBytes(buf, text);
            if (!sessionState.isEmpty()) {
                LenEnc.writeInt(buf, blockLength);
                for (final SessionStateChange change : sessionState) {
                    change.writeTo(buf);
                }
            }
        }
        return buf;
    }
}
