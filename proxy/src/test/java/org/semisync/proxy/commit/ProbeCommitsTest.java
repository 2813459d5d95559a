package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.OkPacket;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.ServerStatus;

/** Position-probe mode: which ended responses may have committed (held, counted) and which surely did not. */
class ProbeCommitsTest {
    private final ProbeCommits commits = new ProbeCommits();

    private boolean run(final String sql, final long affectedRows, final int warnings, final boolean openAfter) {
        final ByteBuf query =
                Unpooled.buffer().writeByte(Commands.COM_QUERY).writeBytes(sql.getBytes(StandardCharsets.UTF_8));
        final Packet packet = new Packet(0, query);
        try {
            final CommandKind kind = CommandKind.classify(packet);
            final int status = openAfter ? ServerStatus.IN_TRANS : 0;
            commits.onOk(ok(affectedRows, warnings, status));
            return commits.ended(kind, status);
        } finally {
            packet.release();
        }
    }

    private static OkPacket ok(final long affectedRows, final int warnings, final int status) {
        final ByteBuf p = Unpooled.buffer()
                .writeByte(0)
                .writeByte((int) affectedRows)
                .writeByte(0)
                .writeShortLE(status)
                .writeShortLE(warnings);
        try {
            return OkPacket.parseTracked(p);
        } finally {
            p.release();
        }
    }

    @Test
    void autocommitWritesAreCommitsUnlessTheyChangedNoRow() {
        assertThat(run("INSERT INTO t VALUES (1)", 1, 0, false)).isTrue();
        assertThat(run("UPDATE t SET a = 1 WHERE 0", 0, 0, false)).isFalse();
        assertThat(run("CREATE TABLE u (a INT)", 0, 0, false))
                .as("DDL: no affected rows, still a commit")
                .isTrue();
        assertThat(run("KILL 5", 0, 0, false)).isFalse();
    }

    @Test
    void aCommitOfATransactionThatCouldNotWriteIsNoCommit() {
        assertThat(run("BEGIN", 0, 0, true)).isFalse();
        assertThat(run("SELECT 1", 0, 0, true)).isFalse();
        assertThat(run("COMMIT", 0, 0, false)).isFalse();

        assertThat(run("BEGIN", 0, 0, true)).isFalse();
        assertThat(run("INSERT INTO t VALUES (2)", 1, 0, true)).isFalse();
        assertThat(run("COMMIT", 0, 0, false)).isTrue();

        assertThat(run("BEGIN", 0, 0, true)).isFalse();
        assertThat(run("SELECT my_writing_function()", 0, 0, true)).isFalse();
        assertThat(run("COMMIT", 0, 0, false))
                .as("a stored function may have written")
                .isTrue();
    }

    @Test
    void aRollbackWritesOnlyWhenItWarnsThatNonTransactionalChangesStay() {
        assertThat(run("BEGIN", 0, 0, true)).isFalse();
        assertThat(run("INSERT INTO t VALUES (3)", 1, 0, true)).isFalse();
        assertThat(run("ROLLBACK", 0, 0, false)).isFalse();

        assertThat(run("BEGIN", 0, 0, true)).isFalse();
        assertThat(run("INSERT INTO myisam_t VALUES (3)", 1, 0, true)).isFalse();
        assertThat(run("ROLLBACK", 0, 1, false))
                .as("warning 1196: the MyISAM row stays and is binlogged")
                .isTrue();
    }
}
