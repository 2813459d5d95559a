package org.semisync.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.semisync.proxy.binlog.BinlogRing;
import org.semisync.proxy.binlog.ReplicationEvents;
import org.semisync.proxy.client.CommandContext;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.Packet;

class ReplicaInterceptorTest {
    private static final ReplicationEvents NONE = new ReplicationEvents() {
        @Override
        public void transactionEnded(final String gtid, final String file, final long endPosition) {}

        @Override
        public void replicaConnected(final String replicaId, final String file, final long position) {}

        @Override
        public void acknowledged(final String replicaId, final String file, final long position) {}

        @Override
        public void replicaDisconnected(final String replicaId) {}
    };
    private final EmbeddedChannel client = new EmbeddedChannel();
    private final BinlogRing ring = new BinlogRing(8, NONE, Executors.defaultThreadFactory());
    private final List<String> forwarded = new ArrayList<>();
    private final ReplicaInterceptor interceptor =
            new ReplicaInterceptor(new RelaySource(ring, () -> new byte[40], 1, NONE, new AckCounters()));
    private final CommandContext context = new CommandContext() {
        @Override
        public Channel client() {
            return client;
        }

        @Override
        public long clientCapabilities() {
            return 0x0038a205L; // the captured MariaDB replica: no DEPRECATE_EOF
        }

        @Override
        public long masterConnectionId() {
            return 18;
        }

        @Override
        public void forward(final Packet packet) {
            forwarded.add(packet.toString());
            packet.release();
        }

        @Override
        public void takeOver() {
            throw new AssertionError("must not take over");
        }
    };

    @AfterEach
    void close() {
        ring.close();
        client.finishAndReleaseAll();
    }

    @Test
    void answersTheMariaDbProbeAsAMasterWithThePlugin() {
        assertThat(query("SHOW VARIABLES LIKE 'rpl_semi_sync_master_enabled'")).isTrue();
        final List<Packet> out = outbound();
        // column count, 2 column definitions, EOF, row, EOF
        assertThat(out).extracting(Packet::sequenceId).containsExactly(1, 2, 3, 4, 5, 6);
        final byte[] row = ByteBufUtil.getBytes(out.get(4).payload());
        assertThat(new String(row, StandardCharsets.UTF_8))
                .contains("rpl_semi_sync_master_enabled")
                .endsWith("ON");
        out.forEach(Packet::release);
    }

    @Test
    void acceptsTheSemiSyncEnableAndLetsOtherQueriesThrough() {
        assertThat(query("SET @rpl_semi_sync_slave= 1")).isTrue();
        final List<Packet> ok = outbound();
        assertThat(ok).hasSize(1);
        assertThat(ok.get(0).isOk()).isTrue();
        ok.forEach(Packet::release);
        assertThat(query("SET @master_heartbeat_period= 30000001024")).isFalse();
        assertThat(query("SELECT UNIX_TIMESTAMP()")).isFalse();
        assertThat(outbound()).isEmpty();
    }

    @Test
    void refusesADumpWithoutRegistration() {
        final Packet dump = new Packet(0, Unpooled.wrappedBuffer(Fixtures.payload(Fixtures.bytes("binlog_dump"))));
        try {
            assertThat(interceptor.onCommand(dump, context)).isTrue();
        } finally {
            dump.release();
        }
        final List<Packet> out = outbound();
        assertThat(out).hasSize(1);
        final ErrPacket err = ErrPacket.parse(out.get(0).payload());
        assertThat(err.errorCode()).isEqualTo(1236);
        assertThat(err.message()).contains("COM_REGISTER_SLAVE");
        out.forEach(Packet::release);
    }

    @Test
    void refusesADumpTheRingDoesNotHold() {
        final Packet register =
                new Packet(0, Unpooled.wrappedBuffer(Fixtures.payload(Fixtures.bytes("register_slave"))));
        final Packet dump = new Packet(0, Unpooled.wrappedBuffer(Fixtures.payload(Fixtures.bytes("binlog_dump"))));
        try {
            assertThat(interceptor.onCommand(register, context)).isFalse();
            assertThat(interceptor.onCommand(dump, context)).isTrue();
        } finally {
            register.release();
            dump.release();
        }
        final List<Packet> out = outbound();
        final ErrPacket err = ErrPacket.parse(out.get(0).payload());
        assertThat(err.errorCode()).isEqualTo(1236);
        assertThat(err.message()).contains("mysql-bin.000001:1164");
        out.forEach(Packet::release);
    }

    private boolean query(final String sql) {
        final byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        final Packet packet =
                new Packet(0, Unpooled.buffer().writeByte(Commands.COM_QUERY).writeBytes(text));
        try {
            return interceptor.onCommand(packet, context);
        } finally {
            packet.release();
        }
    }

    private List<Packet> outbound() {
        final List<Packet> out = new ArrayList<>();
        Object msg;
        while ((msg = client.readOutbound()) != null) {
            out.add((Packet) msg);
        }
        return out;
    }
}
