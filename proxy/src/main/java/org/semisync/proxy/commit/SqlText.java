package org.semisync.proxy.commit;

import java.util.ArrayList;
import java.util.List;

/**
 * Lexical helpers over SQL text that never parse it: split a multi-statement on top-level semicolons and find the
 * first word of a statement, skipping whitespace and comments. Quotes ('', "", ``) and comments are honoured so that a
 * semicolon or keyword inside them does not count. Executable comments ({@code /*! ... *&#47;}, {@code /*M! ...}) are
 * reported as such because the server runs their content.
 */
public final class SqlText {
    /** Returned by {@link #firstWord} for a statement starting with an executable comment. */
    public static final String EXECUTABLE_COMMENT = "/*!";

    private SqlText() {}

    /** The statements of a (multi-)statement text, each trimmed; empty ones are dropped. */
    public static List<String> split(final String sql) {
        final List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        final int n = sql.length();
        while (i < n) {
            final char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, c);
            } else if (c == '#' || (c == '-' && startsLineComment(sql, i))) {
                i = skipLine(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                final int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == ';') {
                add(out, sql.substring(start, i));
                start = ++i;
            } else {
                i++;
            }
        }
        add(out, sql.substring(start));
        return out;
    }

    /**
     * The first keyword of a statement in upper case, after whitespace and plain comments; {@link #EXECUTABLE_COMMENT}
     * if an executable comment comes first; "" for a statement with no word.
     */
    public static String firstWord(final String statement) {
        return word(statement, skipNoise(statement, 0));
    }

    /** The upper-case words of a statement in order (comments and quoted text skipped), at most {@code max}. */
    public static List<String> words(final String statement, final int max) {
        final List<String> out = new ArrayList<>();
        int i = skipNoise(statement, 0);
        while (i < statement.length() && out.size() < max) {
            final char c = statement.charAt(i);
            if (isWordChar(c)) {
                int end = i;
                while (end < statement.length() && isWordChar(statement.charAt(end))) {
                    end++;
                }
                out.add(statement.substring(i, end).toUpperCase(java.util.Locale.ROOT));
                i = end;
            } else if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(statement, i, c);
            } else if (statement.startsWith(EXECUTABLE_COMMENT, i) || statement.startsWith("/*M!", i)) {
                out.add(EXECUTABLE_COMMENT);
                i += 3;
            } else {
                i++;
            }
            i = skipNoise(statement, i);
        }
        return out;
    }

    private static String word(final String s, final int from) {
        if (from >= s.length()) {
            return "";
        }
        if (s.startsWith(EXECUTABLE_COMMENT, from) || s.startsWith("/*M!", from)) {
            return EXECUTABLE_COMMENT;
        }
        int end = from;
        while (end < s.length() && isWordChar(s.charAt(end))) {
            end++;
        }
        return s.substring(from, end).toUpperCase(java.util.Locale.ROOT);
    }

    /** Skips whitespace and non-executable comments from {@code i}. */
    private static int skipNoise(final String s, int i) {
        final int n = s.length();
        while (i < n) {
            final char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#' || (c == '-' && startsLineComment(s, i))) {
                i = skipLine(s, i);
            } else if (c == '/'
                    && i + 1 < n
                    && s.charAt(i + 1) == '*'
                    && !s.startsWith(EXECUTABLE_COMMENT, i)
                    && !s.startsWith("/*M!", i)) {
                final int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                return i;
            }
        }
        return i;
    }

    private static boolean isWordChar(final char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '@' || c == '.' || c == '$';
    }

    /** "-- " (dash dash and a space or control character) starts a comment; "--x" does not. */
    private static boolean startsLineComment(final String s, final int i) {
        return i + 1 < s.length()
                && s.charAt(i + 1) == '-'
                && (i + 2 == s.length() || Character.isWhitespace(s.charAt(i + 2)));
    }

    private static int skipLine(final String s, final int i) {
        final int end = s.indexOf('\n', i);
        return end < 0 ? s.length() : end + 1;
    }

    /**
     * The index after the quoted string, name or identifier opening at {@code open} ({@code '}, {@code "} or
     * {@code `}): doubled quotes and, outside backquotes, backslashes escape.
     */
    public static int skipQuoted(final String s, final int open, final char quote) {
        int i = open + 1;
        while (i < s.length()) {
            final char c = s.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2; // doubled quote is an escaped quote
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return s.length();
    }

    private static void add(final List<String> out, final String statement) {
        final String t = statement.strip();
        if (!t.isEmpty()) {
            out.add(t);
        }
    }
}
