package org.semisync.proxy.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semisync.proxy.admin.SqlTokens.Kind;
import org.semisync.proxy.admin.SqlTokens.Token;

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

        private boolean informationSchema() {
            return this != MYSQL_57_PLUS;
        }
    }

    private static final byte[] SEMI = "semi".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VARIABLES = "variables".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATUS = "status".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHOW = "show".getBytes(StandardCharsets.US_ASCII);

    /** First words of statements that make the whole text untouchable: stored programs, compound statements. */
    private static final Set<String> PROGRAM_WORDS = Set.of(
            "CREATE",
            "ALTER",
            "BEGIN",
            "DECLARE",
            "IF",
            "WHILE",
            "LOOP",
            "REPEAT",
            "CASE",
            "FOR",
            "END",
            "ELSE",
            "ELSEIF",
            "RETURN",
            "DELIMITER");
    /** Words that end a select list at its own parenthesis depth. */
    private static final Set<String> SELECT_LIST_END = Set.of(
            "FROM",
            "INTO",
            "WHERE",
            "GROUP",
            "HAVING",
            "ORDER",
            "LIMIT",
            "UNION",
            "EXCEPT",
            "INTERSECT",
            "MINUS",
            "WINDOW",
            "FOR",
            "LOCK",
            "PROCEDURE",
            "OFFSET",
            "FETCH");
    /** Words that may follow SELECT before the first item. */
    private static final Set<String> SELECT_MODIFIERS = Set.of(
            "ALL",
            "DISTINCT",
            "DISTINCTROW",
            "HIGH_PRIORITY",
            "STRAIGHT_JOIN",
            "SQL_SMALL_RESULT",
            "SQL_BIG_RESULT",
            "SQL_BUFFER_RESULT",
            "SQL_CACHE",
            "SQL_NO_CACHE",
            "SQL_CALC_FOUND_ROWS");
    /** Words that end an expression but are not an alias when they come last in a select-list item. */
    private static final Set<String> NOT_AN_ALIAS = Set.of("END", "NULL", "TRUE", "FALSE", "UNKNOWN");
    /** Words after which the next word is part of the expression, not an alias. */
    private static final Set<String> OPERATOR_WORDS = Set.of(
            "AND",
            "OR",
            "XOR",
            "NOT",
            "IS",
            "LIKE",
            "DIV",
            "MOD",
            "IN",
            "BETWEEN",
            "COLLATE",
            "BINARY",
            "CASE",
            "WHEN",
            "THEN",
            "ELSE",
            "INTERVAL",
            "DISTINCT",
            "REGEXP",
            "RLIKE",
            "SOUNDS",
            "ESCAPE",
            "AS",
            "SELECT");
    /** Words that may follow a table reference and are not its alias. */
    private static final Set<String> AFTER_TABLE = Set.of(
            "WHERE",
            "JOIN",
            "INNER",
            "LEFT",
            "RIGHT",
            "CROSS",
            "NATURAL",
            "STRAIGHT_JOIN",
            "ON",
            "USING",
            "GROUP",
            "ORDER",
            "LIMIT",
            "UNION",
            "EXCEPT",
            "INTERSECT",
            "MINUS",
            "HAVING",
            "WINDOW",
            "FOR",
            "LOCK",
            "INTO",
            "PROCEDURE",
            "FULL",
            "USE",
            "IGNORE",
            "FORCE",
            "PARTITION",
            "OFFSET",
            "FETCH",
            "OUTER");
    /** The longest alias the servers accept. */
    private static final int MAX_ALIAS = 256;

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
        return new Rewrite(SqlTokens.of(sql), rows, dialect).run();
    }

    /** A replacement of the text [start, end); an insertion when start == end. */
    private record Edit(int start, int end, String text) {}

    /** One rewrite of one text. */
    private static final class Rewrite {
        private final SqlTokens sql;
        private final ProxyRows rows;
        private final Dialect dialect;
        /** The significant tokens. */
        private final List<Token> tokens;

        private final List<Edit> edits = new ArrayList<>();
        /** Schema prefixes of schema.table.column references in the current statement, dropped if tables were. */
        private final List<Edit> columnPrefixes = new ArrayList<>();

        private boolean tableRewritten;

        Rewrite(final SqlTokens sql, final ProxyRows rows, final Dialect dialect) {
            this.sql = sql;
            this.rows = rows;
            this.dialect = dialect;
            this.tokens = sql.tokens().stream().filter(Token::significant).toList();
        }

        String run() {
            final List<int[]> statements = new ArrayList<>();
            int from = 0;
            for (int i = 0; i <= tokens.size(); i++) {
                if (i == tokens.size() || sql.isPunctuation(tokens.get(i), ';')) {
                    if (i > from) {
                        statements.add(new int[] {from, i});
                    }
                    from = i + 1;
                }
            }
            for (final int[] s : statements) {
                final Token first = tokens.get(s[0]);
                if (PROGRAM_WORDS.contains(sql.word(first))
                        || (s[1] - s[0] > 1 && sql.isPunctuation(tokens.get(s[0] + 1), ':'))) {
                    return null; // a stored program or compound statement: leave its body alone
                }
            }
            for (final int[] s : statements) {
                final Token first = tokens.get(s[0]);
                final String word = sql.word(first);
                if (word.equals("SHOW")) {
                    show(s[0], s[1]);
                } else if (word.equals("SELECT") || word.equals("WITH") || sql.isPunctuation(first, '(')) {
                    expressions(s[0], s[1]);
                }
                if (tableRewritten) {
                    edits.addAll(columnPrefixes);
                }
                columnPrefixes.clear();
                tableRewritten = false;
            }
            if (edits.isEmpty()) {
                return null;
            }
            return apply(edits, 0, sql.text().length());
        }

        /**
         * The text [from, to) with {@code edits} made, or null if two overlap (only in malformed texts, such as
         * unbalanced parentheses: those go to the master as they are).
         */
        private String apply(final List<Edit> edits, final int from, final int to) {
            final List<Edit> sorted = new ArrayList<>(edits);
            // an alias inserted after an item comes before a replacement starting there; stable: inner aliases first
            sorted.sort(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::end));
            final String text = sql.text();
            final StringBuilder out = new StringBuilder(to - from + 512);
            int at = from;
            for (final Edit e : sorted) {
                if (e.start() < at) {
                    return null;
                }
                out.append(text, at, e.start()).append(e.text());
                at = e.end();
            }
            return out.append(text, at, to).toString();
        }

        /** SHOW [GLOBAL|SESSION|LOCAL] VARIABLES|STATUS [LIKE 'p' | WHERE c] in tokens [from, to). */
        private void show(final int from, final int to) {
            int i = from + 1;
            boolean global = false;
            if (i < to && sql.isWord(tokens.get(i), "GLOBAL")) {
                global = true;
                i++;
            } else if (i < to && (sql.isWord(tokens.get(i), "SESSION") || sql.isWord(tokens.get(i), "LOCAL"))) {
                i++;
            }
            if (i >= to) {
                return;
            }
            final boolean status;
            if (sql.isWord(tokens.get(i), "VARIABLES")) {
                status = false;
            } else if (sql.isWord(tokens.get(i), "STATUS")) {
                status = true;
            } else {
                return;
            }
            i++;
            final Map<String, String> proxy = status ? rows.status() : rows.variables();
            final String filter;
            if (i == to) {
                filter = "";
            } else if (sql.isWord(tokens.get(i), "LIKE")
                    && i + 2 == to
                    && tokens.get(i + 1).kind() == Kind.STRING) {
                final LikePattern like = LikePattern.of(sql.stringValue(tokens.get(i + 1)));
                if (proxy.keySet().stream().noneMatch(like::matches)) {
                    return; // the master's rows are the answer
                }
                filter = " WHERE Variable_name LIKE " + sql.text(tokens.get(i + 1));
            } else if (sql.isWord(tokens.get(i), "WHERE") && i + 1 < to) {
                final String condition = rewritten(i + 1, to);
                if (condition == null) {
                    return;
                }
                filter = " WHERE " + condition;
            } else {
                return;
            }
            final String table = table(global, status);
            final String name;
            if (!dialect.informationSchema()) {
                name = "VARIABLE_NAME";
            } else if (status) {
                name = "IF(LOWER(VARIABLE_NAME) LIKE 'wsrep%', LOWER(VARIABLE_NAME),"
                        + " CONCAT(UPPER(LEFT(VARIABLE_NAME, 1)), LOWER(SUBSTRING(VARIABLE_NAME, 2))))";
            } else {
                name = "LOWER(VARIABLE_NAME)";
            }
            final StringBuilder q = new StringBuilder("SELECT Variable_name, Value FROM (SELECT ")
                    .append(name)
                    .append(" AS Variable_name, VARIABLE_VALUE AS Value FROM ")
                    .append(table);
            masterRowsAndProxyRows(q, proxy, false, "");
            q.append(") AS semisync_show").append(filter).append(" ORDER BY CAST(LOWER(Variable_name) AS BINARY)");
            edits.add(new Edit(tokens.get(from).start(), tokens.get(to - 1).end(), q.toString()));
        }

        private String table(final boolean global, final boolean status) {
            final String scope = global ? "global" : "session";
            final String kind = status ? "status" : "variables";
            return dialect.informationSchema()
                    ? "information_schema." + (scope + "_" + kind).toUpperCase(Locale.ROOT)
                    : "performance_schema." + scope + "_" + kind;
        }

        /** " WHERE VARIABLE_NAME NOT IN (names) UNION ALL SELECT 'name', 'value' [guard] ..." */
        private static void masterRowsAndProxyRows(
                final StringBuilder q, final Map<String, String> proxy, final boolean upperCase, final String guard) {
            q.append(" WHERE VARIABLE_NAME NOT IN (");
            String sep = "";
            for (final String name : proxy.keySet()) {
                q.append(sep).append(quote(name));
                sep = ", ";
            }
            q.append(')');
            proxy.forEach((name, value) -> q.append(" UNION ALL SELECT ")
                    .append(quote(upperCase ? name.toUpperCase(Locale.ROOT) : name))
                    .append(", ")
                    .append(quote(value))
                    .append(guard));
        }

        /** The text of tokens [from, to) with the proxy's variables and tables put in, or null (malformed). */
        private String rewritten(final int from, final int to) {
            final int mark = edits.size();
            expressions(from, to);
            final List<Edit> mine = new ArrayList<>(edits.subList(mark, edits.size()));
            edits.subList(mark, edits.size()).clear();
            if (tableRewritten) {
                mine.addAll(columnPrefixes);
            }
            columnPrefixes.clear();
            tableRewritten = false;
            return apply(mine, tokens.get(from).start(), tokens.get(to - 1).end());
        }

        /** A select list at one parenthesis depth, and its current item. */
        private final class Frame {
            boolean inList;
            boolean modifiers;
            boolean rewrote;
            boolean itemRewrote;
            final List<Integer> item = new ArrayList<>();

            void note(final int i) {
                if (inList) {
                    modifiers = false;
                    item.add(i);
                }
            }

            void rewrote() {
                rewrote = true;
                itemRewrote = inList;
            }

            void closeItem() {
                if (inList && itemRewrote && !item.isEmpty() && !hasAlias(item)) {
                    final int start = tokens.get(item.get(0)).start();
                    final int end = tokens.get(item.get(item.size() - 1)).end();
                    final String label = sql.text().substring(start, end);
                    if (label.length() <= MAX_ALIAS) {
                        edits.add(new Edit(end, end, " AS `" + label.replace("`", "``") + "`"));
                    }
                }
                item.clear();
                itemRewrote = false;
            }
        }

        /** Puts the proxy's values for @@ variables and tables in tokens [from, to). */
        private void expressions(final int from, final int to) {
            final Deque<Frame> frames = new ArrayDeque<>();
            frames.push(new Frame());
            for (int i = from; i < to; i++) {
                final Token t = tokens.get(i);
                Frame f = frames.peek();
                if (sql.isPunctuation(t, '(')) {
                    f.note(i);
                    frames.push(new Frame());
                    continue;
                }
                if (sql.isPunctuation(t, ')')) {
                    if (frames.size() > 1) {
                        final Frame inner = frames.pop();
                        inner.closeItem();
                        f = frames.peek();
                        f.note(i);
                        if (inner.rewrote) {
                            f.rewrote();
                        }
                    }
                    continue;
                }
                final String word = sql.word(t);
                if (word.equals("SELECT")) {
                    f.closeItem();
                    f.inList = true;
                    f.modifiers = true;
                    continue;
                }
                if (f.inList) {
                    if (sql.isPunctuation(t, ',')) {
                        f.closeItem();
                        continue;
                    }
                    if (SELECT_LIST_END.contains(word)) {
                        f.closeItem();
                        f.inList = false;
                    } else if (!(f.modifiers && SELECT_MODIFIERS.contains(word))) {
                        f.note(i);
                    }
                }
                if (t.kind() == Kind.SYSTEM_VARIABLE) {
                    final String value = systemVariable(sql.text(t));
                    if (value != null) {
                        edits.add(new Edit(t.start(), t.end(), value));
                        f.rewrote();
                    }
                } else if (i + 2 < to) {
                    final int next = table(i, to);
                    if (next > i) {
                        f.rewrote();
                        i = next;
                    }
                }
            }
            while (!frames.isEmpty()) {
                frames.pop().closeItem();
            }
        }

        /**
         * When tokens at {@code i} are {@code schema.table} of a variables or status table, adds the edit and returns
         * the index of the table's token; else returns {@code i}.
         */
        private int table(final int i, final int to) {
            final String schema = sql.identifier(tokens.get(i));
            if (schema == null || !sql.isPunctuation(tokens.get(i + 1), '.')) {
                return i;
            }
            final boolean is = schema.equalsIgnoreCase("information_schema");
            if (!is && !schema.equalsIgnoreCase("performance_schema")) {
                return i;
            }
            final Token tableToken = tokens.get(i + 2);
            final String table = sql.identifier(tableToken);
            if (table == null) {
                return i;
            }
            final String lower = table.toLowerCase(Locale.ROOT);
            final boolean status;
            if (lower.equals("global_variables") || lower.equals("session_variables")) {
                status = false;
            } else if (lower.equals("global_status") || lower.equals("session_status")) {
                status = true;
            } else {
                return i;
            }
            if (i + 3 < to && sql.isPunctuation(tokens.get(i + 3), '.')) {
                // schema.table.column: table.column names the derived table, put in when the table is rewritten
                columnPrefixes.add(new Edit(tokens.get(i).start(), tableToken.start(), ""));
                return i;
            }
            tableRewritten = true;
            final StringBuilder q = new StringBuilder("(SELECT VARIABLE_NAME, VARIABLE_VALUE FROM ")
                    .append(sql.text(), tokens.get(i).start(), tableToken.end());
            // MariaDB's performance_schema is off by default, its tables then empty: the proxy's rows only when it is
            // on
            masterRowsAndProxyRows(
                    q,
                    status ? rows.status() : rows.variables(),
                    is,
                    is || dialect != Dialect.MARIADB ? "" : " FROM DUAL WHERE @@performance_schema");
            q.append(')');
            if (!(i + 3 < to && aliasFollows(tokens.get(i + 3)))) {
                q.append(" AS ").append(sql.text(tableToken));
            }
            edits.add(new Edit(tokens.get(i).start(), tableToken.end(), q.toString()));
            return i + 2;
        }

        private boolean aliasFollows(final Token t) {
            if (t.kind() == Kind.QUOTED_IDENTIFIER) {
                return true;
            }
            return t.kind() == Kind.WORD && !AFTER_TABLE.contains(sql.word(t));
        }

        /** The value to put for {@code @@[global.]name}, or null to leave it. */
        private String systemVariable(final String token) {
            String name = token.substring(2).toLowerCase(Locale.ROOT);
            final int dot = name.indexOf('.');
            if (dot >= 0) {
                if (!name.substring(0, dot).equals("global")) {
                    return null; // @@session.x / @@local.x: the names are global-only, the master's error stands
                }
                name = name.substring(dot + 1);
            }
            final String value = rows.variables().get(name);
            if (value == null) {
                return null;
            }
            if (value.equals("ON")) {
                return "1";
            }
            if (value.equals("OFF")) {
                return "0";
            }
            // the numeric variables are unsigned on the server: unsigned arithmetic, as with @@ (timeout - 20000 fails)
            return value.matches("\\d{1,18}") ? "CAST(" + value + " AS UNSIGNED)" : quote(value);
        }

        /** Whether a select-list item (its tokens at its own depth) ends with an alias. */
        private boolean hasAlias(final List<Integer> item) {
            for (final int i : item) {
                if (sql.isWord(tokens.get(i), "AS")) {
                    return true;
                }
            }
            if (item.size() < 2) {
                return false;
            }
            final Token last = tokens.get(item.get(item.size() - 1));
            final Token before = tokens.get(item.get(item.size() - 2));
            final boolean lastIsName = switch (last.kind()) {
                case QUOTED_IDENTIFIER, STRING -> true;
                case WORD ->
                    !NOT_AN_ALIAS.contains(sql.word(last))
                            && !Character.isDigit(sql.text(last).charAt(0));
                default -> false;
            };
            final boolean beforeEndsValue = switch (before.kind()) {
                case SYSTEM_VARIABLE, USER_VARIABLE, STRING, QUOTED_IDENTIFIER -> true;
                case WORD -> !OPERATOR_WORDS.contains(sql.word(before));
                case PUNCTUATION -> sql.isPunctuation(before, ')');
                default -> false;
            };
            return lastIsName && beforeEndsValue;
        }
    }

    private static String quote(final String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
