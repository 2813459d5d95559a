package org.semisync.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.LenEnc;
import org.semisync.proxy.protocol.OkPacket;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.ServerStatus;

/** Result-set framing with classic EOFs and with OK-as-EOF. */
class ResultSetWriterTest {
    static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    @Test
    void classicFramingWithEofs() {
        final List<Packet> packets = new ResultSetWriter(Capabilities.CLIENT_PROTOCOL_41, ServerStatus.AUTOCOMMIT)
                .write(ALLOC, VariableRows.SHOW_COLUMNS, List.of(List.of("a", "1"), Arrays.asList("b", null)));
        try {
            assertThat(packets).extracting(Packet::sequenceId).containsExactly(1, 2, 3, 4, 5, 6, 7);
            assertThat(LenEnc.readInt(packets.get(0).payload().duplicate())).isEqualTo(2);
            final var colDef = packets.get(1).payload().duplicate();
            assertThat(LenEnc.readString(colDef)).isEqualTo("def");
            LenEnc.skipString(colDef);
            LenEnc.skipString(colDef);
            LenEnc.skipString(colDef);
            assertThat(LenEnc.readString(colDef)).isEqualTo("Variable_name");
            assertThat(ByteBufUtil.hexDump(packets.get(3).payload())).isEqualTo("fe00000200");
            assertThat(packets.get(3).isEof()).isTrue();
            assertThat(ResultSetWriter.readRow(packets.get(4).payload(), 2)).containsExactly("a", "1");
            assertThat(ResultSetWriter.readRow(packets.get(5).payload(), 2)).containsExactly("b", null);
            assertThat(packets.get(6).isEof()).isTrue();
        } finally {
            packets.forEach(Packet::release);
        }
    }

    @Test
    void deprecateEofEndsWithAnOkMarkedFe() {
        final long caps =
                Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_DEPRECATE_EOF | Capabilities.CLIENT_SESSION_TRACK;
        final List<Packet> packets = new ResultSetWriter(
                        caps, ServerStatus.IN_TRANS | ServerStatus.SESSION_STATE_CHANGED)
                .write(ALLOC, List.of("@@global.rpl_semi_sync_master_timeout"), List.of(List.of("2000")));
        try {
            assertThat(packets).extracting(Packet::sequenceId).containsExactly(1, 2, 3, 4);
            final Packet last = packets.get(3);
            // what MySQL sends: marker 0xFE, 0 rows, 0 id, status, warnings (a row never starts 0xFE below 9 bytes)
            assertThat(ByteBufUtil.hexDump(last.payload())).isEqualTo("fe000001000000");
            final OkPacket ok = OkPacket.parse(last.payload(), caps);
            assertThat(ok.marker()).isEqualTo(0xFE);
            assertThat(ok.status()).isEqualTo(ServerStatus.IN_TRANS);
            assertThat(ResultSetWriter.readRow(packets.get(2).payload(), 1)).containsExactly("2000");
        } finally {
            packets.forEach(Packet::release);
        }
    }

    @Test
    void rowsMustMatchTheColumns() {
        assertThatThrownBy(() -> new ResultSetWriter(Capabilities.CLIENT_PROTOCOL_41, 0)
                        .write(ALLOC, VariableRows.SHOW_COLUMNS, List.of(List.of("only one"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
