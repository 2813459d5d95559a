package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Looks into a COM_QUERY's bytes without decoding them: every query passes the proxy, few need a closer look. */
public final class QueryBytes {
    private QueryBytes() {}

    /** An ASCII word to look for in any letter case. */
    public static final class Word {
        private final byte[] lowerCase;
        /** Stops at a byte that may start the word: the scan runs over the buffer's memory without index checks. */
        private final ByteProcessor notFirstLetter;

        private Word(final String word) {
            if (word.isEmpty()) {
                throw new IllegalArgumentException("empty word");
            }
            this.lowerCase = word.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            final byte lower = lowerCase[0];
            final byte upper = (byte) Character.toUpperCase(lower);
            this.notFirstLetter = b -> b != lower && b != upper;
        }
    }

    /** The SQL text of a COM_QUERY payload (after its command byte), decoded as UTF-8. */
    public static String text(final ByteBuf payload) {
        return payload.toString(payload.readerIndex() + 1, payload.readableBytes() - 1, StandardCharsets.UTF_8);
    }

    /** {@code word} for {@link #contains}. */
    public static Word word(final String word) {
        return new Word(word);
    }

    /** Whether {@code query} contains {@code word} in any letter case. */
    public static boolean contains(final ByteBuf query, final Word word) {
        final byte[] w = word.lowerCase;
        final int last = query.writerIndex() - w.length;
        int from = query.readerIndex();
        while (from <= last) {
            final int at = query.forEachByte(from, last - from + 1, word.notFirstLetter);
            if (at < 0) {
                return false;
            }
            if (restMatches(query, at, w)) {
                return true;
            }
            from = at + 1;
        }
        return false;
    }

    private static boolean restMatches(final ByteBuf query, final int at, final byte[] lowerCaseWord) {
        for (int j = 1; j < lowerCaseWord.length; j++) {
            final int b = query.getByte(at + j);
            if ((b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b) != lowerCaseWord[j]) {
                return false;
            }
        }
        return true;
    }
}
