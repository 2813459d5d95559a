package org.semisync.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LenEncTest {
    @ParameterizedTest
    @CsvSource({
        "0, 00",
        "250, fa",
        "251, fcfb00",
        "65535, fcffff",
        "65536, fd000001",
        "16777215, fdffffff",
        "16777216, fe0000000100000000"
    })
    void writesAndReadsBackEveryWidth(final long value, final String hex) {
        final ByteBuf buf = Unpooled.buffer();
        LenEnc.writeInt(buf, value);
        assertThat(ByteBufUtil.hexDump(buf)).isEqualTo(hex);
        assertThat(LenEnc.sizeOf(value)).isEqualTo(hex.length() / 2);
        assertThat(LenEnc.readInt(buf)).isEqualTo(value);
        assertThat(buf.isReadable()).isFalse();
        buf.release();
    }

    @Test
    void readsStringsFromTheCapturedOkTrailer() {
        // "last_gtid" / "0-1-11" from a MariaDB OK packet's session-state block.
        final ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("096c6173745f6774696406302d312d3131"));
        assertThat(LenEnc.readString(buf)).isEqualTo("last_gtid");
        assertThat(LenEnc.readString(buf)).isEqualTo("0-1-11");
        buf.release();
    }

    @Test
    void rejectsTruncatedAndInvalidInput() {
        final ByteBuf truncated = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("fc01"));
        assertThatThrownBy(() -> LenEnc.readInt(truncated))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("needs 2 bytes");
        truncated.release();
        final ByteBuf nullMarker = Unpooled.wrappedBuffer(new byte[] {(byte) 0xFB});
        assertThatThrownBy(() -> LenEnc.readInt(nullMarker)).isInstanceOf(MalformedPacketException.class);
        nullMarker.release();
        final ByteBuf shortString = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0561"));
        assertThatThrownBy(() -> LenEnc.readString(shortString)).hasMessageContaining("only 1 left");
        shortString.release();
    }
}
