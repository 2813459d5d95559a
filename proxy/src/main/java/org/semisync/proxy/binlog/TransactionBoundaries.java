package org.semisync.proxy.binlog;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Follows the event stream to tell each event's GTID and which event ends a transaction: XID, a COMMIT/ROLLBACK query
 * closing a BEGIN, a DDL or other statement logged on its own, or MySQL's XA_PREPARE. That event is the one a semi-sync
 * master asks replicas to ACK. Single-threaded: fed by the tail in stream order.
 */
public final class TransactionBoundaries {

    private static final int QUERY_POST_HEADER = 13;

    private String gtid;
    private boolean inTransaction;

    /** Outcome for one event. */
    record Boundary(String gtid, boolean endsTransaction) {}

    /**
     * Whether a Query event's statement (its beginning is enough) closes the open transaction: COMMIT, ROLLBACK, or
     * XA COMMIT / XA ROLLBACK of a prepared XA transaction (MariaDB 10.5+ binlogs XA PREPARE on its own).
     */
    public static boolean closesTransaction(final String query) {
        final String q = query.strip();
        return q.equalsIgnoreCase("COMMIT")
                || q.equalsIgnoreCase("ROLLBACK")
                || q.regionMatches(true, 0, "XA COMMIT", 0, 9)
                || q.regionMatches(true, 0, "XA ROLLBACK", 0, 11);
    }

    Boundary accept(final byte[] event, final boolean crc32) {
        final int type = EventHeader.type(event);
        switch (type) {
            case EventHeader.MARIADB_GTID_EVENT -> {
                final long seqNo = EventHeader.readU64(event, EventHeader.SIZE);
                final long domain = EventHeader.readU32(event, EventHeader.SIZE + 8);
                final int flags2 = event[EventHeader.SIZE + 12] & 0xFF;
                gtid = domain + "-" + EventHeader.serverId(event) + "-" + seqNo;
                inTransaction = (flags2 & EventHeader.MARIADB_FL_STANDALONE) == 0;
                return new Boundary(gtid, false);
            }
            case EventHeader.GTID_LOG_EVENT -> {
                final String uuid = uuid(event, EventHeader.SIZE + 1);
                gtid = uuid + ":" + EventHeader.readU64(event, EventHeader.SIZE + 17);
                inTransaction = false; // a BEGIN query opens DML; DDL follows on its own
                return new Boundary(gtid, false);
            }
            case EventHeader.ANONYMOUS_GTID_LOG_EVENT -> {
                gtid = null;
                inTransaction = false;
                return new Boundary(null, false);
            }
            case EventHeader.XID_EVENT, EventHeader.XA_PREPARE_LOG_EVENT -> {
                return end();
            }
            case EventHeader.QUERY_EVENT -> {
                final String query = queryText(event, crc32).strip();
                if (query.equalsIgnoreCase("BEGIN")) {
                    inTransaction = true;
                    return new Boundary(gtid, false);
                }
                if (!inTransaction || closesTransaction(query)) {
                    return end();
                }
                return new Boundary(gtid, false);
            }
            default -> {
                return new Boundary(inTransaction ? gtid : null, false);
            }
        }
    }

    private Boundary end() {
        final Boundary boundary = new Boundary(gtid, true);
        gtid = null;
        inTransaction = false;
        return boundary;
    }

    /** The statement of a Query event: after the 13-byte post-header, the status variables and the NUL-ended db. */
    static String queryText(final byte[] event, final boolean crc32) {
        final int body = EventHeader.SIZE;
        final int dbLength = event[body + 8] & 0xFF;
        final int statusLength = (event[body + 11] & 0xFF) | (event[body + 12] & 0xFF) << 8;
        final int start = body + QUERY_POST_HEADER + statusLength + dbLength + 1;
        final int end = event.length - (crc32 ? EventHeader.CHECKSUM_SIZE : 0);
        if (start > end) {
            throw new BinlogCaptureException("Query event of " + event.length + " bytes is malformed");
        }
        // only the first bytes matter for BEGIN/COMMIT/ROLLBACK; avoid decoding a huge statement
        return new String(event, start, Math.min(end - start, 16), StandardCharsets.UTF_8);
    }

    private static String uuid(final byte[] event, final int offset) {
        final String hex = HexFormat.of().formatHex(event, offset, offset + 16);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }
}
