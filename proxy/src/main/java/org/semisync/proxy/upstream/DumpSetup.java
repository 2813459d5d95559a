package org.semisync.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.Handshake;
import org.semisync.proxy.protocol.TextResultReader;

/**
 * The queries between login and COM_BINLOG_DUMP, as a replica's IO thread sends them (MariaDB {@code sql/slave.cc}
 * {@code get_master_version_and_clock}): where to start when no position is given, the checksum the tail can take, the
 * heartbeat period and, from a MariaDB master, the capability that brings GTID events. Then the dump command, which
 * also asks a MariaDB master for its Annotate_rows events: without them a replica that needs them would see holes.
 */
final class DumpSetup {
    /** BINLOG_SEND_ANNOTATE_ROWS_EVENT in COM_BINLOG_DUMP's flags (MariaDB). */
    static final int SEND_ANNOTATE_ROWS = 2;

    private static final int ER_PARSE_ERROR = 1064;
    private static final int ER_UNKNOWN_SYSTEM_VARIABLE = 1193;
    private static final int ER_SPECIFIC_ACCESS_DENIED = 1227;
    private static final String MASTER_STATUS = "SHOW MASTER STATUS";
    /** MySQL 8.4 removed SHOW MASTER STATUS. */
    private static final String BINARY_LOG_STATUS = "SHOW BINARY LOG STATUS";

    private static final String CHECKSUM = "SET @master_binlog_checksum= @@global.binlog_checksum";

    private final long serverId;
    private boolean mariaDb;
    private final Deque<String> queries = new ArrayDeque<>();
    private String file;
    private long position;

    /**
     * @param file where to dump from; null for the master's current end (then {@code position} is ignored)
     * @param serverId the server_id the dump runs as
     */
    DumpSetup(final String file, final long position, final long serverId, final long heartbeatNanos) {
        this.file = file;
        this.position = Math.max(4, position);
        this.serverId = serverId;
        if (file == null) {
            queries.add(MASTER_STATUS);
        }
        queries.add(CHECKSUM);
        queries.add("SET @master_heartbeat_period=" + heartbeatNanos);
    }

    /** Learns from the greeting whether the master is MariaDB, which takes one more query and another dump flag. */
    void master(final Handshake greeting) {
        mariaDb = greeting.isMariaDb();
        if (mariaDb) {
            queries.add("SET @mariadb_slave_capability=4"); // MARIA_SLAVE_CAPABILITY_GTID
        }
    }

    /** The query to send now, or null when the dump command is next. */
    String query() {
        return queries.peek();
    }

    /**
     * Takes the answer to {@link #query()}.
     *
     * @throws MasterRefusedException when the master cannot serve a dump to this user
     * @throws MasterErrorException for another error
     */
    void answered(final TextResultReader.Result result) {
        final String query = queries.remove();
        final ErrPacket err = result.error();
        if (query.equals(MASTER_STATUS) || query.equals(BINARY_LOG_STATUS)) {
            if (err != null && err.errorCode() == ER_PARSE_ERROR && query.equals(MASTER_STATUS)) {
                queries.addFirst(BINARY_LOG_STATUS);
                return;
            }
            failOn(err, query);
            if (result.rows().isEmpty() || result.rows().get(0)[0] == null) {
                throw new MasterRefusedException("the master has binary logging off (" + query + " returned no row)");
            }
            file = result.rows().get(0)[0];
            position = Long.parseLong(result.rows().get(0)[1]);
            return;
        }
        if (err != null && query.equals(CHECKSUM) && err.errorCode() == ER_UNKNOWN_SYSTEM_VARIABLE) {
            return; // a master older than binlog checksums (before MariaDB 5.3 / MySQL 5.6): no trailer to expect
        }
        failOn(err, query);
    }

    private static void failOn(final ErrPacket err, final String query) {
        if (err == null) {
            return;
        }
        final String text = "the master failed '" + query + "': #" + err.errorCode() + " " + err.message();
        if (err.errorCode() == ER_SPECIFIC_ACCESS_DENIED) {
            throw new MasterRefusedException(text);
        }
        throw new MasterErrorException(text, err);
    }

    /** COM_BINLOG_DUMP from {@link #file()}:{@link #position()}. */
    ByteBuf dumpCommand(final ByteBufAllocator alloc) {
        final byte[] name = file.getBytes(StandardCharsets.UTF_8);
        return alloc.buffer(11 + name.length)
                .writeByte(Commands.COM_BINLOG_DUMP)
                .writeIntLE((int) position)
                .writeShortLE(mariaDb ? SEND_ANNOTATE_ROWS : 0)
                .writeIntLE((int) serverId)
                .writeBytes(name);
    }

    String file() {
        return file;
    }

    long position() {
        return position;
    }
}
