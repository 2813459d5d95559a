package org.semisync.proxy.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a client's query that reads the semi-sync variables or status so that the master answers it with the
 * proxy's rows in place of its own rows of the same names; the master still evaluates LIKE, WHERE, joins and
 * ordering. Forms rewritten, in statements starting with SELECT, WITH, '(' or SHOW:
 *
 * <ul>
 *   <li>{@code SHOW [GLOBAL|SESSION|LOCAL] VARIABLES|STATUS [LIKE 'p' | WHERE c]} becomes a SELECT with the same
 *       column labels over the master's rows from information_schema (MariaDB, MySQL 5.6) or performance_schema
 *       (MySQL 5.7+) without the proxy's names, plus the proxy's rows, in SHOW's letter case, sorted by the
 *       lower-case name in byte order (SHOW's own order is the server's registration order: the same except inside
 *       a few groups such as Com_*, Binlog_group_commit*, wsrep_*). A LIKE that matches none of the proxy's names is
 *       left alone.
 *   <li>A reference to {@code information_schema.GLOBAL_VARIABLES / SESSION_VARIABLES / GLOBAL_STATUS /
 *       SESSION_STATUS} or {@code performance_schema.global_variables / ...} becomes a derived table with the same
 *       columns and, unless the query gives one, an alias equal to the table's name. On MariaDB the proxy's rows
 *       appear in performance_schema tables only when {@code @@performance_schema} is on (off, the tables are empty).
 *   <li>{@code @@name} and {@code @@global.name} of a proxy variable become its value (1/0 for ON/OFF, numbers as
 *       unsigned numbers, other values quoted); a select-list item that contained one and has no alias gets its
 *       original text as alias, which is the label the server gives.
 * </ul>
 *
 * Not rewritten: {@code @@session.name} and {@code @@local.name} (the names are global-only: the master's error
 * stays), SET and every other statement kind, unqualified table names, executable comments, texts that define stored
 * programs or compound statements (CREATE, ALTER, BEGIN, DECLARE, labels...: their bodies must not get the proxy's
 * current values baked in). In a multi-statement text each statement is rewritten on its own. A rewritten text must
 * not be rewritten again (its derived tables name the same tables).
 */
public final class VariableReads {
    /** Where the master keeps its variables and status rows. */
    public enum Dialect {
        /** MariaDB: information_schema, names in upper case there. */
        MARIADB,
        /** MySQL 5.6: information_schema, names in upper case there. */
        MYSQL_56,
        /** MySQL 5.7 and later: performance_schema, names as SHOW prints them. */
        MYSQL_57_PLUS;

        private static final Pattern MYSQL_VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

        /** The dialect of a master greeting with {@code greetingVersion} ("5.5.5-10.2.11-MariaDB", "8.0.36"). */
        public static Dialect forServerVersion(final String greetingVersion) {
            if (greetingVersion.toLowerCase(Locale.ROOT).contains("mariadb")) {
                return MARIADB;
            }
            final Matcher m = MYSQL_VERSION.matcher(greetingVersion);
            if (!m.find()) {
                return MYSQL_57_PLUS;
            }
            final int major = Integer.parseInt(m.group(1));
            final int minor = Integer.parseInt(m.group(2));
            return major < 5 || (major == 5 && minor <= 6) ? MYSQL_56 : MYSQL_57_PLUS;
        }

        boolean informationSchema() {
            return this != MYSQL_57_PLUS;
        }
    }

    private static final byte[] SEMI = "semi".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VARIABLES = "variables".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATUS = "status".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHOW = "show".getBytes(StandardCharsets.US_ASCII);

    private VariableReads() {}

    /**
     * Whether a COM_QUERY payload (command byte first) may read the proxy's names: it contains "semi", "_status" or
     * "_variables" (the tables), or "show" and "status" or "variables", in any letter case. Looks at the bytes only,
     * in one pass; most queries stop here, and a column named "status" alone does not pass.
     */
    public static boolean mayRead(final ByteBuf payload) {
        final int start = payload.readerIndex();
        final int end = payload.writerIndex();
        boolean show = false;
        boolean word = false;
        int from = start;
        while (from < end) {
            final int at = payload.forEachByte(from, end - from, NOT_S_OR_V);
            if (at < 0) {
                break;
            }
            if (wordAt(payload, at, end, SEMI)) {
                return true;
            }
            if (wordAt(payload, at, end, STATUS) || wordAt(payload, at, end, VARIABLES)) {
                if (at > start && payload.getByte(at - 1) == '_') {
                    return true;
                }
                word = true;
            } else if (wordAt(payload, at, end, SHOW)) {
                show = true;
            }
            if (show && word) {
                return true;
            }
            from = at + 1;
        }
        return false;
    }

    /**
     * {@link #rewrite(String, ProxyRows, Dialect)} over the bytes of a query in any ASCII-compatible character set
     * (UTF-8, latin1...): every byte that is not rewritten comes back unchanged, so labels made of the original text
     * keep the client's bytes. Null when the query reads none of the proxy's names.
     */
    public static byte[] rewrite(final byte[] sql, final ProxyRows rows, final Dialect dialect) {
        // ISO-8859-1 maps each byte to one char and back: the tokenizer only acts on ASCII characters
        final String out = rewrite(new String(sql, StandardCharsets.ISO_8859_1), rows, dialect);
        return out == null ? null : out.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final ByteProcessor NOT_S_OR_V = b -> (b | 0x20) != 's' && (b | 0x20) != 'v';

    private static boolean wordAt(final ByteBuf payload, final int at, final int end, final byte[] lowerCaseWord) {
        if (end - at < lowerCaseWord.length || (payload.getByte(at) | 0x20) != lowerCaseWord[0]) {
            return false;
        }
        for (int j = 1; j < lowerCaseWord.length; j++) {
            final int b = payload.getByte(at + j);
            if ((b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b) != lowerCaseWord[j]) {
                return false;
            }
        }
        return true;
    }

    /** {@link #mayRead(ByteBuf)} for a decoded text. */
    public static boolean mayRead(final String sql) {
        return mayRead(Unpooled.wrappedBuffer(sql.getBytes(StandardCharsets.UTF_8)));
    }

    /** The text to send to the master instead of {@code sql}, or null when {@code sql} reads none of the proxy's names. */
    public static String rewrite(final String sql, final ProxyRows rows, final Dialect dialect) {
        if (sql == null || !mayRead(sql)) {
            return null;
        }
        return new VariableReadRewrite(SqlTokens.of(sql), rows, dialect).run();
    }
}
