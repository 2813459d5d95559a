package org.semisync.proxy.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Looks into a COM_QUERY's bytes without decoding them: every query passes the proxy, few need a closer look. */
public final class QueryBytes {
    private QueryBytes() {}

    /** The lower-case ASCII bytes of {@code word}, for {@link #contains}. */
    public static byte[] lowerCase(final String word) {
        return word.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code query} contains {@code lowerCaseWord} in any letter case. */
    public static boolean contains(final ByteBuf query, final byte[] lowerCaseWord) {
        final int end = query.writerIndex() - lowerCaseWord.length;
        outer:
        for (int i = query.readerIndex(); i <= end; i++) {
            for (int j = 0; j < lowerCaseWord.length; j++) {
                final int b = query.getByte(i + j);
                if ((b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b) != lowerCaseWord[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
