package org.semisync.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.semisync.ack.AckTracker;
import org.semisync.proxy.binlog.RawEvent;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.Packet;

/** What a replica says before its dump decides what its stream holds (here: the master's Annotate_rows rule). */
class ReplicationCommandsTest {
    private static final String FILE = "mysql-bin.000001";
    private static final byte[] ANNOTATE_ROWS = annotateRows();

    private final AckTracker tracker = AckTracker.builder().build().start();
    private final EmbeddedChannel connection = new EmbeddedChannel();

    @AfterEach
    void close() {
        tracker.close();
        connection.finishAndReleaseAll();
    }

    @Test
    void aMariaDbReplicaThatDidNotAskForAnnotateRowsDoesNotGetThem() {
        assertThat(annotateRowsSent(4, 0)).isFalse();
    }

    @Test
    void aReplicaThatAskedForAnnotateRowsGetsThem() {
        assertThat(annotateRowsSent(4, 0x02)).isTrue();
    }

    @Test
    void aReplicaThatDoesNotCopeWithHolesGetsThemAsBefore() {
        // capability 1 (ANNOTATE): the master sends them as they are; 0 (MySQL, old MariaDB): a dummy of that size
        assertThat(annotateRowsSent(1, 0)).isTrue();
        assertThat(annotateRowsSent(-1, 0)).isTrue();
    }

    /** capability -1: the replica did not say. */
    private boolean annotateRowsSent(final int capability, final int dumpFlags) {
        final ReplicationCommands commands = new ReplicationCommands(tracker, null, connection);
        if (capability >= 0) {
            final Packet set = query("SET @mariadb_slave_capability=" + capability);
            assertThat(commands.onCommand(set, 0, ByteBufAllocator.DEFAULT))
                    .isInstanceOf(ReplicationCommands.Relay.class);
            set.release();
        }
        final Packet dump = binlogDump(dumpFlags);
        final ReplicationCommands.Decision decision = commands.onCommand(dump, 0, ByteBufAllocator.DEFAULT);
        dump.release();
        assertThat(decision).isInstanceOf(ReplicationCommands.StartDump.class);
        final DumpStream stream = ((ReplicationCommands.StartDump) decision).stream();
        final List<Packet> out = stream.fromRing(new RawEvent(ANNOTATE_ROWS, FILE, 4, null, false), false);
        final boolean sent = !out.isEmpty();
        out.forEach(Packet::release);
        stream.closed();
        return sent;
    }

    private static Packet query(final String sql) {
        final ByteBuf payload = Unpooled.buffer().writeByte(Commands.COM_QUERY);
        payload.writeCharSequence(sql, StandardCharsets.UTF_8);
        return new Packet(0, payload);
    }

    /** COM_BINLOG_DUMP: [12][position u32][flags u16][server id u32][file name]. */
    private static Packet binlogDump(final int flags) {
        final ByteBuf payload = Unpooled.buffer()
                .writeByte(Commands.COM_BINLOG_DUMP)
                .writeIntLE(4)
                .writeShortLE(flags)
                .writeIntLE(7);
        payload.writeCharSequence(FILE, StandardCharsets.US_ASCII);
        return new Packet(0, payload);
    }

    /** An Annotate_rows event (type 160) at 4..60 in the file, without checksum. */
    private static byte[] annotateRows() {
        final byte[] sql = "INSERT INTO t VALUES (1)".getBytes(StandardCharsets.US_ASCII);
        final int size = 19 + sql.length;
        final ByteBuf event = Unpooled.buffer(size)
                .writeIntLE(0) // timestamp
                .writeByte(160)
                .writeIntLE(1) // server id
                .writeIntLE(size)
                .writeIntLE(4 + size) // end position
                .writeShortLE(0)
                .writeBytes(sql);
        final byte[] bytes = Arrays.copyOf(event.array(), size);
        event.release();
        return bytes;
    }
}
