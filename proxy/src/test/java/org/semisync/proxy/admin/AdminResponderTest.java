package org.semisync.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.semisync.ack.AckTracker;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.ServerStatus;

/** Admin answers from a real tracker. */
class AdminResponderTest {
    static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
    static final long CAPS = Capabilities.CLIENT_PROTOCOL_41;

    final AckTracker tracker =
            AckTracker.builder().settings(SemiSyncSettings.DEFAULTS).build().start();
    final AdminResponder responder = new AdminResponder(tracker, 32);
    final ResultSetWriter writer = new ResultSetWriter(CAPS, ServerStatus.AUTOCOMMIT);

    @AfterEach
    void stop() {
        tracker.close();
    }

    @Test
    void setGlobalChangesTheTrackerForSuperOnly() throws Exception {
        final var set =
                (AdminStatement.SetVariable) AdminStatement.recognise("SET GLOBAL rpl_semi_sync_master_timeout = 2000")
                        .orElseThrow();
        final Packet denied = responder.set(set, false, "app@%", ServerStatus.AUTOCOMMIT, CAPS, ALLOC);
        assertThat(ErrPacket.parse(denied.payload()).errorCode()).isEqualTo(AdminResponder.ER_SPECIFIC_ACCESS_DENIED);
        denied.release();
        assertThat(tracker.status().settings().timeoutMillis()).isEqualTo(10_000);

        final Packet ok = responder.set(set, true, "root@%", ServerStatus.AUTOCOMMIT, CAPS, ALLOC);
        assertThat(ok.isOk()).isTrue();
        ok.release();
        awaitTimeout(2000);

        final var select = (AdminStatement.SelectVariables)
                AdminStatement.recognise("SELECT @@global.rpl_semi_sync_master_timeout")
                        .orElseThrow();
        final List<Packet> rs = responder.select(select, writer, ALLOC);
        try {
            assertThat(ResultSetWriter.readRow(rs.get(3).payload(), 1)).containsExactly("2000");
        } finally {
            rs.forEach(Packet::release);
        }
    }

    @Test
    void badValuesGetTheServersErrors() {
        for (final String[] c : new String[][] {
            {"SET GLOBAL rpl_semi_sync_master_timeout = 'abc'", "1232"},
            {"SET GLOBAL rpl_semi_sync_master_wait_for_slave_count = 0", "1231"},
            {"SET GLOBAL rpl_semi_sync_master_enabled = maybe", "1231"},
            {"SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC", "1238"},
            {"SET GLOBAL rpl_semi_sync_master_nope = 1", "1193"}
        }) {
            final var set =
                    (AdminStatement.SetVariable) AdminStatement.recognise(c[0]).orElseThrow();
            final Packet err = responder.set(set, true, "root@%", 0, CAPS, ALLOC);
            assertThat(ErrPacket.parse(err.payload()).errorCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            err.release();
        }
        assertThat(tracker.status().settings()).isEqualTo(SemiSyncSettings.DEFAULTS);
    }

    @Test
    void showStatusMergesTheCountersWithTheMastersRows() {
        final var show = (AdminStatement.Show)
                AdminStatement.recognise("SHOW GLOBAL STATUS LIKE '%semi%'").orElseThrow();
        final List<Packet> rs =
                responder.show(show, List.of(List.of("Rpl_semi_sync_slave_status", "OFF")), writer, ALLOC);
        try {
            // count, 2 column defs, EOF, 1 master row + 16 proxy rows, EOF
            assertThat(rs).hasSize(4 + 17 + 1);
            assertThat(ResultSetWriter.readRow(rs.get(4).payload(), 2))
                    .containsExactly("Rpl_semi_sync_master_clients", "0");
            assertThat(rs.stream().skip(4).limit(17).map(p -> ResultSetWriter.readRow(p.payload(), 2)))
                    .contains(
                            List.of("Rpl_semi_sync_master_status", "ON"), List.of("Rpl_semi_sync_slave_status", "OFF"));
        } finally {
            rs.forEach(Packet::release);
        }
    }

    private void awaitTimeout(final long expected) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (tracker.status().settings().timeoutMillis() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(tracker.status().settings().timeoutMillis()).isEqualTo(expected);
    }
}
