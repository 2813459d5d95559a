package org.semisync.proxy.binlog;

import java.util.Objects;

/**
 * One binlog event exactly as the master sent it (header, body and checksum), with the master's coordinates.
 *
 * @param bytes the event, byte for byte; never modified after construction
 * @param file the master's binlog file name holding the event
 * @param startPosition offset of the event's first byte in {@code file}
 * @param gtid the GTID of the transaction the event belongs to, or {@code null} outside one / when unknown
 * @param endsTransaction whether this is the transaction's last event (XID, COMMIT query, DDL): the one replicas ACK
 */
public record RawEvent(byte[] bytes, String file, long startPosition, String gtid, boolean endsTransaction) {
    public RawEvent {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(file, "file");
        if (bytes.length < EventHeader.SIZE) {
            throw new IllegalArgumentException("event of " + bytes.length + " bytes is shorter than its header");
        }
    }

    /** Offset just past the event: start position plus length, which stays right when the header's log_pos is 0. */
    public long endPosition() {
        return startPosition + bytes.length;
    }

    /** The event type code from the header. */
    public int type() {
        return EventHeader.type(bytes);
    }

    @Override
    public String toString() {
        return "RawEvent[type=" + type() + ", " + file + ":" + startPosition + "-" + endPosition() + ", gtid=" + gtid
                + (endsTransaction ? ", ends transaction]" : "]");
    }
}
