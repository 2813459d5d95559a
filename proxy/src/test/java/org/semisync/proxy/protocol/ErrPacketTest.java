package org.semisync.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class ErrPacketTest {
    @Test
    void parsesTheMastersAccessDenied() {
        final String hex = "ff1504" + "233238303030" + ByteBufUtil.hexDump("Access denied for user 'x'".getBytes());
        final ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        final ErrPacket err = ErrPacket.parse(buf);
        assertThat(err).isEqualTo(new ErrPacket(1045, "28000", "Access denied for user 'x'"));
        assertThat(buf.readerIndex()).isZero();
        buf.release();
    }

    @Test
    void encodeThenParseRoundTrips() {
        final ErrPacket err = new ErrPacket(ErrPacket.CR_CONN_HOST_ERROR, "08S01", "master 127.0.0.1:1 unreachable");
        final ByteBuf buf = err.encode(ByteBufAllocator.DEFAULT);
        assertThat(ErrPacket.parse(buf)).isEqualTo(err);
        buf.release();
    }
}
