package org.semisync.proxy.binlog;

import java.nio.charset.StandardCharsets;

/**
 * Gives each event of an upstream dump its place in the master's binlog. Positions are summed from event lengths because
 * MariaDB 11.4+ writes end_log_pos=0 inside transactions; where the header does carry a position it must agree, or the
 * stream has a hole and the relay stops rather than serve wrong coordinates. Single-threaded.
 */
public final class BinlogStreamTracker {
    private final TransactionBoundaries boundaries = new TransactionBoundaries();
    private String file;
    private long position;
    private boolean crc32;
    /** Whether a Format_description has told the checksum setting. */
    private boolean formatSeen;
    /** After a reconnect that resumed behind what was already relayed: skip re-sent events up to here. */
    private long resendEnd = -1;

    /**
     * Accounts for one event and returns it with its coordinates, or {@code null} for events that hold no place in the
     * binlog file: the fake Rotate, an out-of-band Format_description, heartbeats and other artificial events.
     */
    public RawEvent accept(final byte[] event) {
        final int type = EventHeader.type(event);
        final boolean artificial = (event[EventHeader.FLAGS_OFFSET] & EventHeader.LOG_EVENT_ARTIFICIAL_F) != 0;
        if (type == EventHeader.FORMAT_DESCRIPTION_EVENT) {
            formatSeen = true;
            crc32 = event[event.length - EventHeader.CHECKSUM_SIZE - 1] == 1;
            if (EventHeader.logPos(event) == 0) {
                return null; // re-sent at the start of a dump that begins past it
            }
        }
        if (type == EventHeader.ROTATE_EVENT && (artificial || EventHeader.logPos(event) == 0)) {
            final String before = file;
            final long relayed = position;
            rotateTo(event);
            if (before != null && before.equals(file) && position < relayed) {
                resendEnd = relayed; // the upstream resumed from its last known position, inside what we have
            } else if (before != null && !before.equals(file)) {
                // the master moved to the next file without a real Rotate (e.g. after a crash): replicas need it too
                return new RawEvent(event, file, position, null, false);
            }
            return null;
        }
        if (type == EventHeader.HEARTBEAT_LOG_EVENT || artificial) {
            return null;
        }
        if (file == null) {
            throw new BinlogCaptureException("event of type " + type + " arrived before any Rotate named the file");
        }
        final long logPos = EventHeader.logPos(event);
        final long end = position + event.length;
        if (logPos != 0 && logPos != end) {
            throw new BinlogCaptureException("event of type " + type + " in " + file + " ends at " + logPos
                    + " but the stream so far puts it at " + end + ": the stream has a hole");
        }
        if (resendEnd >= 0) {
            if (end <= resendEnd) {
                position = end; // already relayed before the reconnect
                return null;
            }
            if (position != resendEnd) {
                throw new BinlogCaptureException("resumed stream in " + file + " does not meet the relayed end "
                        + resendEnd + " at an event boundary (at " + position + ")");
            }
            resendEnd = -1;
        }
        final TransactionBoundaries.Boundary boundary = boundaries.accept(event, crc32);
        final RawEvent raw = new RawEvent(event, file, position, boundary.gtid(), boundary.endsTransaction());
        if (type == EventHeader.ROTATE_EVENT) {
            rotateTo(event);
        } else {
            position = end;
        }
        return raw;
    }

    private void rotateTo(final byte[] event) {
        // Before the first Format_description the checksum setting is unknown: the fake Rotate tells by its own CRC.
        final boolean trailer = !formatSeen ? Crc32.verify(event) : crc32;
        final int nameEnd = event.length - (trailer ? EventHeader.CHECKSUM_SIZE : 0);
        position = EventHeader.readU64(event, EventHeader.SIZE);
        file = new String(event, EventHeader.SIZE + 8, nameEnd - EventHeader.SIZE - 8, StandardCharsets.UTF_8);
    }

    /** Current binlog file, or null before the first Rotate. */
    public String file() {
        return file;
    }

    /** Offset just past the last event in {@link #file()}. */
    public long position() {
        return position;
    }

    /** Whether events carry a CRC32 trailer, per the last Format_description. */
    public boolean crc32() {
        return crc32;
    }
}
