package org.semisync.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.MalformedPacketException;

class CommandParsingTest {
    @Test
    void parsesTheCapturedRegisterSlave() {
        final RegisterSlaveRequest request =
                parse(Fixtures.payload(Fixtures.bytes("register_slave")), RegisterSlaveRequest::parse);
        assertThat(request).isEqualTo(new RegisterSlaveRequest(2, "127.0.0.1", "", "", 23307));
    }

    @Test
    void parsesTheCapturedBinlogDump() {
        final DumpRequest request = parse(Fixtures.payload(Fixtures.bytes("binlog_dump")), DumpRequest::parse);
        assertThat(request.command()).isEqualTo(Commands.COM_BINLOG_DUMP);
        assertThat(request.position()).isEqualTo(1164);
        assertThat(request.flags()).isEqualTo(2);
        assertThat(request.nonBlocking()).isFalse();
        assertThat(request.serverId()).isEqualTo(2);
        assertThat(request.file()).isEqualTo("mysql-bin.000001");
        assertThat(request.gtidSet()).isEmpty();
    }

    /** Layout as MySQL's replica writes it: name_size 0, pos 4, then an encoded Gtid_set. */
    @Test
    void parsesMySqlGtidDump() {
        final byte[] gtidSet = {1, 0, 0, 0, 0, 0, 0, 0, 9, 9};
        final ByteBuf buf = Unpooled.buffer();
        buf.writeByte(Commands.COM_BINLOG_DUMP_GTID)
                .writeShortLE(0x04)
                .writeIntLE(3)
                .writeIntLE(0);
        buf.writeLongLE(4).writeIntLE(gtidSet.length).writeBytes(gtidSet);
        final DumpRequest request = parseAndRelease(buf, DumpRequest::parse);
        assertThat(request.command()).isEqualTo(Commands.COM_BINLOG_DUMP_GTID);
        assertThat(request.serverId()).isEqualTo(3);
        assertThat(request.file()).isEmpty();
        assertThat(request.position()).isEqualTo(4);
        assertThat(request.gtidSet()).containsExactly(gtidSet);
    }

    @Test
    void rejectsTruncatedOrForeignCommands() {
        final byte[] dump = Fixtures.payload(Fixtures.bytes("binlog_dump"));
        assertThatThrownBy(() -> parse(Arrays.copyOf(dump, 6), DumpRequest::parse))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> parse("\3SELECT 1".getBytes(StandardCharsets.US_ASCII), DumpRequest::parse))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("not a binlog dump");
        final ByteBuf lying = Unpooled.buffer();
        lying.writeByte(Commands.COM_BINLOG_DUMP_GTID)
                .writeShortLE(0)
                .writeIntLE(3)
                .writeIntLE(1000)
                .writeByte('x');
        assertThatThrownBy(() -> parseAndRelease(lying, DumpRequest::parse))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("exceeds");
        final byte[] register = Fixtures.payload(Fixtures.bytes("register_slave"));
        assertThatThrownBy(() -> parse(Arrays.copyOf(register, 12), RegisterSlaveRequest::parse))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> parse(dump, RegisterSlaveRequest::parse))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("not a COM_REGISTER_SLAVE");
    }

    private static <T> T parse(final byte[] payload, final Function<ByteBuf, T> parser) {
        return parseAndRelease(Unpooled.wrappedBuffer(payload), parser);
    }

    private static <T> T parseAndRelease(final ByteBuf buf, final Function<ByteBuf, T> parser) {
        try {
            return parser.apply(buf);
        } finally {
            buf.release();
        }
    }
}
