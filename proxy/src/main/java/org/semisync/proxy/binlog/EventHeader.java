package org.semisync.proxy.binlog;

/**
 * Layout of the 19-byte v4 binlog event header, and the event type codes the relay must recognise. Fields are read
 * straight from an event's raw bytes so that unknown event types pass through untouched.
 */
public final class EventHeader {
    /** Bytes of a v4 event header. */
    public static final int SIZE = 19;
    /** Bytes of the CRC32 trailer when binlog_checksum=CRC32. */
    public static final int CHECKSUM_SIZE = 4;

    public static final int QUERY_EVENT = 2;
    public static final int ROTATE_EVENT = 4;
    public static final int FORMAT_DESCRIPTION_EVENT = 15;
    public static final int XID_EVENT = 16;
    public static final int HEARTBEAT_LOG_EVENT = 27;
    public static final int GTID_LOG_EVENT = 33;
    public static final int ANONYMOUS_GTID_LOG_EVENT = 34;
    /** Ends the prepared part of an XA transaction (MariaDB 10.5+ and MySQL binlog XA PREPARE on its own). */
    public static final int XA_PREPARE_LOG_EVENT = 38;

    /** The statement text before a row event group (MariaDB); sent only to replicas that ask for it. */
    public static final int MARIADB_ANNOTATE_ROWS_EVENT = 160;

    public static final int MARIADB_GTID_EVENT = 162;
    public static final int MARIADB_GTID_LIST_EVENT = 163;

    /** Header flag of events the master made up (fake Rotate, heartbeats). */
    public static final int LOG_EVENT_ARTIFICIAL_F = 0x20;

    /** MariaDB GTID flags2: the group is one statement (DDL, non-transactional) without BEGIN/COMMIT. */
    public static final int MARIADB_FL_STANDALONE = 0x01;

    /** Format_description's checksum algorithm byte for CRC32. */
    public static final int CHECKSUM_ALG_CRC32 = 1;

    public static final int TIMESTAMP_OFFSET = 0;
    public static final int TYPE_OFFSET = 4;
    public static final int SERVER_ID_OFFSET = 5;
    public static final int EVENT_SIZE_OFFSET = 9;
    public static final int LOG_POS_OFFSET = 13;
    public static final int FLAGS_OFFSET = 17;

    private EventHeader() {}

    /** The type code of the event whose bytes start at {@code event[0]}. */
    public static int type(final byte[] event) {
        return event[TYPE_OFFSET] & 0xFF;
    }

    /** The event_size field: header, body and checksum. */
    public static long eventSize(final byte[] event) {
        return readU32(event, EVENT_SIZE_OFFSET);
    }

    /** The end_log_pos field (0 inside transactions on MariaDB 11.4+, and for some artificial events). */
    public static long logPos(final byte[] event) {
        return readU32(event, LOG_POS_OFFSET);
    }

    /** The server_id field. */
    public static long serverId(final byte[] event) {
        return readU32(event, SERVER_ID_OFFSET);
    }

    static long readU32(final byte[] b, final int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }

    public static long readU64(final byte[] b, final int off) {
        return readU32(b, off) | readU32(b, off + 4) << 32;
    }

    static void writeU32(final byte[] b, final int off, final long v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static void writeU64(final byte[] b, final int off, final long v) {
        writeU32(b, off, v);
        writeU32(b, off + 4, v >>> 32);
    }
}
