package org.semisync.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.semisync.proxy.protocol.MalformedPacketException;

class AckTest {
    @Test
    void decodesTheCapturedAck() {
        final byte[] packet = Fixtures.bytes("ack");
        assertThat(packet[3]).as("ACK sequence id").isZero();
        assertThat(decode(Fixtures.payload(packet))).isEqualTo(new Ack("mysql-bin.000001", 1621));
    }

    @Test
    void acceptsATrailingNul() {
        final byte[] payload = Fixtures.payload(Fixtures.bytes("ack"));
        final byte[] withNul = Arrays.copyOf(payload, payload.length + 1);
        assertThat(decode(withNul)).isEqualTo(new Ack("mysql-bin.000001", 1621));
    }

    @Test
    void rejectsMalformedAcks() {
        assertMalformed(new byte[0], "empty");
        assertMalformed(new byte[] {0x01}, "0x01");
        assertMalformed(new byte[] {(byte) 0xEF, 1, 2}, "shorter than 9");
        assertMalformed(new byte[] {(byte) 0xEF, 1, 0, 0, 0, 0, 0, 0, 0}, "no binlog file name");
        assertMalformed(new byte[] {(byte) 0xEF, 1, 0, 0, 0, 0, 0, 0, 0, 0}, "no binlog file name");
        assertMalformed(ack("a\0b"), "NUL");
        assertMalformed(ack("../mysql-bin.000001"), "bare name");
        assertMalformed(ack("x".repeat(600)), "too long");
        final byte[] negative = ack("f");
        negative[8] = (byte) 0x80;
        assertMalformed(negative, "out of range");
    }

    private static byte[] ack(final String name) {
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        final byte[] payload = new byte[9 + n.length];
        payload[0] = (byte) 0xEF;
        payload[1] = 4;
        System.arraycopy(n, 0, payload, 9, n.length);
        return payload;
    }

    private static void assertMalformed(final byte[] payload, final String message) {
        assertThatThrownBy(() -> decode(payload))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining(message);
    }

    private static Ack decode(final byte[] payload) {
        final ByteBuf buf = Unpooled.wrappedBuffer(payload);
        try {
            final Ack ack = Ack.decode(buf);
            assertThat(buf.readerIndex()).isZero();
            return ack;
        } finally {
            buf.release();
        }
    }
}
