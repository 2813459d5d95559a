package org.semisync.proxy.replica;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.Gtid;
import org.semisync.ack.MariaDbGtid;
import org.semisync.proxy.binlog.EventHeader;
import org.semisync.proxy.binlog.TransactionBoundaries;
import org.semisync.proxy.protocol.MalformedPacketException;

/**
 * Follows a binlog dump the way the replica does: the master's file and position (Rotate, event sizes, heartbeats),
 * the checksum algorithm (Format_description), GTIDs and where transactions start and end. One per dump, on its event
 * loop.
 */
final class EventFollower {
    /** What an event was, for the stream's semi-sync bookkeeping. */
    enum Step {
        /** A Rotate: the stream is at a (new) file. */
        ROTATE,
        /** Format_description or an artificial event: no position of the stream's own. */
        SETUP,
        /**
         * A heartbeat: the master has nothing more for the replica; everything before its position was sent or, in
         * GTID mode, skipped because the replica has it.
         */
        HEARTBEAT,
        /** A transaction began (GTID event, BEGIN). */
        STARTS,
        /** A transaction's last event (XID, XA PREPARE, COMMIT, a DDL): the one a semi-sync replica ACKs. */
        ENDS,
        /** Any other event, inside a transaction or between them (Binlog_checkpoint, Gtid_list, ...). */
        OTHER
    }

    private String file;
    private long position;
    private int checksumSize;
    private boolean formatSeen;
    private Gtid gtid;
    /** Inside a BEGIN … COMMIT group (a Query event then does not end the transaction). */
    private boolean inTransaction;
    /** The GTID of the transaction the last {@link Step#ENDS} closed. */
    private Gtid endedGtid;

    EventFollower(final String file, final long position) {
        this.file = file;
        this.position = position;
    }

    /** The position the replica has received up to, in master coordinates; null before the first Rotate. */
    BinlogPosition position() {
        return file == null || file.isEmpty() ? null : new BinlogPosition(file, position);
    }

    String file() {
        return file;
    }

    long offset() {
        return position;
    }

    /** Whether the Format_description was seen (the stream can be continued from another source). */
    boolean formatSeen() {
        return formatSeen;
    }

    /** The GTID of the transaction the last {@link Step#ENDS} closed (null when unknown, e.g. MySQL's). */
    Gtid endedGtid() {
        return endedGtid;
    }

    /** Follows the event in {@code payload} ({@code [0x00][event]} from its reader index); does not move it. */
    Step follow(final ByteBuf payload) {
        final int base = payload.readerIndex() + 1;
        if (payload.readableBytes() < 1 + EventHeader.SIZE) {
            throw new MalformedPacketException("binlog event shorter than its header");
        }
        final int type = payload.getUnsignedByte(base + EventHeader.TYPE_OFFSET);
        final long size = payload.getUnsignedIntLE(base + EventHeader.EVENT_SIZE_OFFSET);
        final long logPos = payload.getUnsignedIntLE(base + EventHeader.LOG_POS_OFFSET);
        final int flags = payload.getUnsignedShortLE(base + EventHeader.FLAGS_OFFSET);
        final int body = base + EventHeader.SIZE;
        final int bodyLength = (int) size - EventHeader.SIZE;
        switch (type) {
            case EventHeader.ROTATE_EVENT -> {
                position = payload.getLongLE(body);
                // the first (fake) Rotate comes before the Format_description that tells the checksum algorithm
                final int crc = hasValidCrc(payload, base, (int) size) ? EventHeader.CHECKSUM_SIZE : checksumSize;
                file = payload.toString(body + 8, bodyLength - 8 - crc, StandardCharsets.UTF_8);
                return Step.ROTATE;
            }
            case EventHeader.FORMAT_DESCRIPTION_EVENT -> {
                // the checksum algorithm byte precedes the event's own 4-byte checksum
                final int alg = payload.getUnsignedByte(body + bodyLength - 5);
                formatSeen = true;
                checksumSize = alg == EventHeader.CHECKSUM_ALG_CRC32 ? EventHeader.CHECKSUM_SIZE : 0;
                if (logPos != 0) {
                    position = logPos;
                }
                return Step.SETUP;
            }
            case EventHeader.HEARTBEAT_LOG_EVENT -> {
                // The master has nothing more for this replica: everything up to the heartbeat's position was sent
                // or, in GTID mode, skipped because the replica has it. The replica moves its position there, and so
                // does this stream (it is then where the tail may be, ready to join the ring).
                if (file != null && logPos > position) {
                    position = logPos;
                }
                return Step.HEARTBEAT;
            }
            default -> {}
        }
        if ((flags & EventHeader.LOG_EVENT_ARTIFICIAL_F) != 0) {
            return Step.SETUP;
        }
        position = logPos != 0 ? logPos : position + size;
        if (type == EventHeader.MARIADB_GTID_EVENT) {
            final long seq = payload.getLongLE(body);
            final long domain = payload.getUnsignedIntLE(body + 8);
            final int flags2 = payload.getUnsignedByte(body + 12);
            gtid = new MariaDbGtid(domain, payload.getUnsignedIntLE(base + EventHeader.SERVER_ID_OFFSET), seq);
            // a standalone group (DDL) is one statement without BEGIN/COMMIT
            inTransaction = (flags2 & EventHeader.MARIADB_FL_STANDALONE) == 0;
            return Step.STARTS;
        }
        if (type == EventHeader.GTID_LOG_EVENT || type == EventHeader.ANONYMOUS_GTID_LOG_EVENT) {
            // MySQL: a BEGIN query opens DML; DDL follows on its own. The tail reports MySQL GTIDs.
            gtid = null;
            inTransaction = false;
            return Step.STARTS;
        }
        boolean ends = type == EventHeader.XID_EVENT || type == EventHeader.XA_PREPARE_LOG_EVENT;
        if (type == EventHeader.QUERY_EVENT) {
            final String head = queryHead(payload, body, bodyLength);
            if (head.equalsIgnoreCase("BEGIN")) {
                inTransaction = true;
                return Step.STARTS;
            }
            ends = !inTransaction || TransactionBoundaries.closesTransaction(head);
        }
        if (!ends) {
            return Step.OTHER;
        }
        endedGtid = gtid;
        gtid = null;
        inTransaction = false;
        return Step.ENDS;
    }

    private static boolean hasValidCrc(final ByteBuf payload, final int start, final int size) {
        if (size < EventHeader.SIZE + EventHeader.CHECKSUM_SIZE) {
            return false;
        }
        final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(payload.nioBuffer(start, size - EventHeader.CHECKSUM_SIZE));
        return crc.getValue() == payload.getUnsignedIntLE(start + size - EventHeader.CHECKSUM_SIZE);
    }

    /** The first 11 characters of a Query event's statement (enough for BEGIN, COMMIT, XA COMMIT). */
    private String queryHead(final ByteBuf payload, final int body, final int bodyLength) {
        // Query event: thread id (4), exec time (4), db length (1), error code (2), status vars length (2), status
        // vars, db name + NUL, statement text
        final int dbLength = payload.getUnsignedByte(body + 8);
        final int statusLength = payload.getUnsignedShortLE(body + 11);
        final int text = body + 13 + statusLength + dbLength + 1;
        final int textLength = body + bodyLength - checksumSize - text;
        if (textLength <= 0) {
            return "";
        }
        return payload.toString(text, Math.min(textLength, 11), StandardCharsets.US_ASCII)
                .strip();
    }
}
