package org.semisync.proxy.binlog;

import java.nio.charset.StandardCharsets;

/**
 * Builds the events a master makes up rather than reads from its binlog: the fake Rotate that opens every dump and the
 * heartbeat sent while idle. Both carry timestamp 0 and {@link EventHeader#LOG_EVENT_ARTIFICIAL_F}, as MariaDB's and
 * MySQL's dump threads write them, so a replica does not count them into its relay log position.
 */
public final class SyntheticEvents {
    private SyntheticEvents() {}

    /**
     * The fake Rotate telling the replica which file and position the stream starts at. Its header log_pos is 0 (that is
     * how the replica knows it is fake); the body is {@code position u64} + file name without NUL.
     */
    public static byte[] fakeRotate(final long serverId, final String file, final long position, final boolean crc32) {
        final byte[] name = file.getBytes(StandardCharsets.UTF_8);
        final byte[] event = header(EventHeader.ROTATE_EVENT, serverId, 8 + name.length, 0, crc32);
        EventHeader.writeU64(event, EventHeader.SIZE, position);
        System.arraycopy(name, 0, event, EventHeader.SIZE + 8, name.length);
        return seal(event, crc32);
    }

    /**
     * A heartbeat: header log_pos = current end position in {@code file}, body = file name without NUL. A replica checks
     * both against its own coordinates, so they must be the master's.
     */
    public static byte[] heartbeat(final long serverId, final String file, final long position, final boolean crc32) {
        if (position > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("heartbeat position " + position + " does not fit the 4-byte log_pos");
        }
        final byte[] name = file.getBytes(StandardCharsets.UTF_8);
        final byte[] event = header(EventHeader.HEARTBEAT_LOG_EVENT, serverId, name.length, position, crc32);
        System.arraycopy(name, 0, event, EventHeader.SIZE, name.length);
        return seal(event, crc32);
    }

    private static byte[] header(
            final int type, final long serverId, final int bodyLength, final long logPos, final boolean crc32) {
        final int size = EventHeader.SIZE + bodyLength + (crc32 ? EventHeader.CHECKSUM_SIZE : 0);
        final byte[] event = new byte[size];
        // timestamp stays 0: "so that slave could distinguish between real and fake Rotate"
        event[EventHeader.TYPE_OFFSET] = (byte) type;
        EventHeader.writeU32(event, EventHeader.SERVER_ID_OFFSET, serverId);
        EventHeader.writeU32(event, EventHeader.EVENT_SIZE_OFFSET, size);
        EventHeader.writeU32(event, EventHeader.LOG_POS_OFFSET, logPos);
        event[EventHeader.FLAGS_OFFSET] = (byte) EventHeader.LOG_EVENT_ARTIFICIAL_F;
        return event;
    }

    private static byte[] seal(final byte[] event, final boolean crc32) {
        if (crc32) {
            Crc32.seal(event);
        }
        return event;
    }
}
