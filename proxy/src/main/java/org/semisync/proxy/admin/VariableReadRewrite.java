package org.semisync.proxy.admin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.semisync.proxy.admin.SqlTokens.Kind;
import org.semisync.proxy.admin.SqlTokens.Token;

/**
 * One rewrite of one text for {@link VariableReads}: finds the reads of the proxy's variables and status in the
 * tokens and edits the text so that the master answers them with the proxy's rows.
 */
final class VariableReadRewrite {
    /** A replacement of the text [start, end); an insertion when start == end. */
    private record Edit(int start, int end, String text) {}

    private final SqlTokens sql;
    private final ProxyRows rows;
    private final VariableReads.Dialect dialect;
    /** The significant tokens. */
    private final List<Token> tokens;

    private final List<Edit> edits = new ArrayList<>();
    /** Schema prefixes of schema.table.column references in the current statement, dropped if tables were. */
    private final List<Edit> columnPrefixes = new ArrayList<>();

    private boolean tableRewritten;

    VariableReadRewrite(final SqlTokens sql, final ProxyRows rows, final VariableReads.Dialect dialect) {
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
            if (SqlWords.PROGRAM_WORDS.contains(sql.word(first))
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
        edits.add(new Edit(
                tokens.get(from).start(),
                tokens.get(to - 1).end(),
                ProxyRowsSql.show(dialect, global, status, proxy, filter)));
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
            if (inList && itemRewrote && !item.isEmpty() && !Aliases.endsItem(sql, tokensOf(item))) {
                final int start = tokens.get(item.get(0)).start();
                final int end = tokens.get(item.get(item.size() - 1)).end();
                final String label = sql.text().substring(start, end);
                if (label.length() <= SqlWords.MAX_ALIAS) {
                    edits.add(new Edit(end, end, " AS `" + label.replace("`", "``") + "`"));
                }
            }
            item.clear();
            itemRewrote = false;
        }
    }

    private List<Token> tokensOf(final List<Integer> indexes) {
        return indexes.stream().map(tokens::get).toList();
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
                if (SqlWords.SELECT_LIST_END.contains(word)) {
                    f.closeItem();
                    f.inList = false;
                } else if (!(f.modifiers && SqlWords.SELECT_MODIFIERS.contains(word))) {
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
        final String alias = i + 3 < to && Aliases.follows(sql, tokens.get(i + 3)) ? null : sql.text(tableToken);
        final String q = ProxyRowsSql.table(
                dialect,
                sql.text().substring(tokens.get(i).start(), tableToken.end()),
                is,
                status ? rows.status() : rows.variables(),
                alias);
        edits.add(new Edit(tokens.get(i).start(), tableToken.end(), q));
        return i + 2;
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
        return ProxyRowsSql.value(value);
    }
}
