package org.semisync.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextResultReaderTest {
    private static final byte[] EOF = {(byte) 0xFE, 0, 0, 2, 0};
    /** The OK that ends a result set under CLIENT_DEPRECATE_EOF: 0xFE header, longer than an EOF. */
    private static final byte[] OK_AS_EOF = {(byte) 0xFE, 0, 0, 2, 0, 0, 0, 0, 0};

    private static Packet packet(final byte[] payload) {
        return new Packet(1, Unpooled.wrappedBuffer(payload));
    }

    private static byte[] row(final String... values) {
        final ByteBuf b = Unpooled.buffer();
        for (String v : values) {
            if (v == null) {
                b.writeByte(LenEnc.NULL_MARKER);
            } else {
                LenEnc.writeString(b, v);
            }
        }
        final byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    /** Feeds the packets; returns the result and checks it came with the last one. */
    private static TextResultReader.Result read(final long capabilities, final List<byte[]> payloads) {
        final TextResultReader reader = new TextResultReader(capabilities);
        TextResultReader.Result result = null;
        for (int i = 0; i < payloads.size(); i++) {
            final Packet p = packet(payloads.get(i));
            result = reader.onPacket(p);
            p.release();
            assertThat(result == null).as("complete only after packet %d", i).isEqualTo(i < payloads.size() - 1);
        }
        return result;
    }

    @Test
    void aResultSetWithEofsKeepsEveryColumnAndNulls() {
        final List<byte[]> answer = new ArrayList<>(List.of(
                new byte[] {2}, row("def", "File"), row("def", "Position"), EOF, row("mysql-bin.000002", "1234")));
        answer.add(row("mysql-bin.000003", null));
        answer.add(EOF);
        final TextResultReader.Result result = read(0, answer);
        assertThat(result.error()).isNull();
        assertThat(result.rows()).hasSize(2);
        assertThat(result.rows().get(0)).containsExactly("mysql-bin.000002", "1234");
        assertThat(result.rows().get(1)).containsExactly("mysql-bin.000003", null);
        assertThat(result.firstColumn()).containsExactly("mysql-bin.000002", "mysql-bin.000003");
    }

    @Test
    void underDeprecateEofNoEofFollowsTheColumnsAndAnOkEndsTheRows() {
        final TextResultReader.Result result = read(
                Capabilities.CLIENT_DEPRECATE_EOF,
                List.of(new byte[] {1}, row("def", "Super_priv"), row("1"), OK_AS_EOF));
        assertThat(result.firstColumn()).containsExactly("1");
    }

    @Test
    void anOkOrAnErrIsTheWholeAnswer() {
        assertThat(read(0, List.of(new byte[] {0, 0, 0, 2, 0, 0, 0})).rows()).isEmpty();
        final TextResultReader.Result refused =
                read(0, List.of(new byte[] {(byte) 0xFF, 0x1b, 0x04, '#', '4', '2', '0', '0', '0', 'n', 'o'}));
        assertThat(refused.error().errorCode()).isEqualTo(1051);
        assertThat(refused.error().message()).isEqualTo("no");
    }
}
