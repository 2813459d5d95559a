package org.semisync.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QueryBytesTest {
    private static final QueryBytes.Word KILL = QueryBytes.word("kill");
    private static final QueryBytes.Word HEARTBEAT = QueryBytes.word("@master_heartbeat_period");

    @Test
    void findsTheWordInAnyLetterCaseAnywhere() {
        assertThat(contains("KILL 42", KILL)).isTrue();
        assertThat(contains("/* x */ kIlL QUERY 42", KILL)).isTrue();
        assertThat(contains("select 'skill'", KILL)).isTrue();
        assertThat(contains("SET @MASTER_HEARTBEAT_PERIOD= 1000000000", HEARTBEAT))
                .isTrue();
    }

    @Test
    void candidatesThatBreakOffLaterDoNotMatch() {
        assertThat(contains("kil kil ki k", KILL)).isFalse();
        assertThat(contains("kil", KILL)).as("shorter than the word").isFalse();
        assertThat(contains("", KILL)).isFalse();
        assertThat(contains("SET @master_heartbeat = 1, @master_heartbeat_perio", HEARTBEAT))
                .isFalse();
    }

    @Test
    void looksOnlyBetweenReaderAndWriterIndex() {
        final ByteBuf buf = Unpooled.copiedBuffer("kill select 1 kill", StandardCharsets.US_ASCII);
        try {
            assertThat(QueryBytes.contains(buf.slice(4, 10), KILL))
                    .as("' select 1 '")
                    .isFalse();
            assertThat(QueryBytes.contains(buf.slice(13, 5), KILL)).isTrue();
            assertThat(QueryBytes.contains(buf.slice(14, 4), KILL))
                    .as("exactly the word")
                    .isTrue();
            assertThat(QueryBytes.contains(buf.slice(14, 3), KILL)).isFalse();
        } finally {
            buf.release();
        }
    }

    @Test
    void aDirectBufferIsScannedLikeAHeapOne() {
        final ByteBuf direct = Unpooled.directBuffer()
                .writeBytes("\u0003SHOW VARIABLES LIKE 'x'; KiLl 7".getBytes(StandardCharsets.UTF_8));
        try {
            assertThat(QueryBytes.contains(direct, KILL)).isTrue();
            assertThat(QueryBytes.contains(direct, HEARTBEAT)).isFalse();
        } finally {
            direct.release();
        }
    }

    private static boolean contains(final String text, final QueryBytes.Word word) {
        final ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        try {
            return QueryBytes.contains(buf, word);
        } finally {
            buf.release();
        }
    }
}
