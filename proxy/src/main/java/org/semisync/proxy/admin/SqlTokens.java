package org.semisync.proxy.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.semisync.proxy.commit.SqlText;

/**
 * The tokens of a SQL text, enough to find statements, keywords, names and system variables without parsing: quoted
 * strings ('' and ""), backquoted identifiers and comments are single tokens whose content is never looked into.
 * Executable comments ({@code /*!...*&#47;}, {@code /*M!...*&#47;}) are one opaque token too.
 */
final class SqlTokens {
    enum Kind {
        /** Whitespace or a plain comment. */
        SPACE,
        /** An executable comment: its content runs on the server, but the tokenizer does not look into it. */
        EXECUTABLE_COMMENT,
        /** A quoted string, '...' or "...". */
        STRING,
        /** A backquoted identifier. */
        QUOTED_IDENTIFIER,
        /** Letters, digits, '_' and '$': keywords, names, numbers. */
        WORD,
        /** {@code @@name}, {@code @@global.name}, {@code @@session.name}. */
        SYSTEM_VARIABLE,
        /** {@code @name}. */
        USER_VARIABLE,
        /** Any other character, one per token. */
        PUNCTUATION
    }

    /** A token: its kind and where it is in the text. */
    record Token(Kind kind, int start, int end) {
        boolean significant() {
            return kind != Kind.SPACE;
        }
    }

    private final String text;
    private final List<Token> tokens;

    private SqlTokens(final String text, final List<Token> tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    /** The tokens of {@code sql}. */
    static SqlTokens of(final String sql) {
        final List<Token> out = new ArrayList<>();
        final int n = sql.length();
        int i = 0;
        while (i < n) {
            final char c = sql.charAt(i);
            final int start = i;
            final Kind kind;
            if (Character.isWhitespace(c)) {
                while (i < n && Character.isWhitespace(sql.charAt(i))) {
                    i++;
                }
                kind = Kind.SPACE;
            } else if (c == '#' || (c == '-' && lineComment(sql, i))) {
                final int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
                kind = Kind.SPACE;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                final boolean executable = sql.startsWith("/*!", i) || sql.startsWith("/*M!", i);
                final int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                kind = executable ? Kind.EXECUTABLE_COMMENT : Kind.SPACE;
            } else if (c == '\'' || c == '"') {
                i = SqlText.skipQuoted(sql, i, c);
                kind = Kind.STRING;
            } else if (c == '`') {
                i = SqlText.skipQuoted(sql, i, c);
                kind = Kind.QUOTED_IDENTIFIER;
            } else if (c == '@' && i + 1 < n && sql.charAt(i + 1) == '@') {
                i += 2;
                while (i < n && (wordChar(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                kind = Kind.SYSTEM_VARIABLE;
            } else if (c == '@') {
                i++;
                while (i < n && (wordChar(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                kind = Kind.USER_VARIABLE;
            } else if (wordChar(c)) {
                while (i < n && wordChar(sql.charAt(i))) {
                    i++;
                }
                kind = Kind.WORD;
            } else {
                i++;
                kind = Kind.PUNCTUATION;
            }
            out.add(new Token(kind, start, i));
        }
        return new SqlTokens(sql, out);
    }

    String text() {
        return text;
    }

    List<Token> tokens() {
        return tokens;
    }

    /** The text of {@code t}. */
    String text(final Token t) {
        return text.substring(t.start(), t.end());
    }

    /** Whether {@code t} is the word {@code upperCaseWord} in any letter case. */
    boolean isWord(final Token t, final String upperCaseWord) {
        return t.kind() == Kind.WORD
                && t.end() - t.start() == upperCaseWord.length()
                && text.regionMatches(true, t.start(), upperCaseWord, 0, upperCaseWord.length());
    }

    /** Whether {@code t} is the punctuation character {@code c}. */
    boolean isPunctuation(final Token t, final char c) {
        return t.kind() == Kind.PUNCTUATION && text.charAt(t.start()) == c;
    }

    /** The upper-case text of a word, "" for other tokens. */
    String word(final Token t) {
        return t.kind() == Kind.WORD ? text(t).toUpperCase(Locale.ROOT) : "";
    }

    /**
     * The name {@code t} denotes when it is a word or a backquoted identifier (backquotes removed, doubled backquotes
     * undone), or null.
     */
    String identifier(final Token t) {
        if (t.kind() == Kind.WORD) {
            return text(t);
        }
        if (t.kind() == Kind.QUOTED_IDENTIFIER && t.end() - t.start() >= 2 && text.charAt(t.end() - 1) == '`') {
            return text.substring(t.start() + 1, t.end() - 1).replace("``", "`");
        }
        return null;
    }

    /** The value of a string token: quotes removed, doubled quotes and backslash escapes undone. */
    String stringValue(final Token t) {
        final char quote = text.charAt(t.start());
        final StringBuilder out = new StringBuilder();
        for (int i = t.start() + 1; i < t.end() - 1; i++) {
            final char c = text.charAt(i);
            if (c == '\\' && i + 1 < t.end() - 1) {
                final char e = text.charAt(++i);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case '0' -> out.append('\0');
                    case 'b' -> out.append('\b');
                    case 'Z' -> out.append('\u001a');
                    // LIKE keeps \% and \_ escaped; so does this, for LikePattern
                    case '%', '_' -> out.append('\\').append(e);
                    default -> out.append(e);
                }
            } else if (c == quote && i + 1 < t.end() - 1 && text.charAt(i + 1) == quote) {
                out.append(quote);
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean wordChar(final char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** "-- " (dash dash and a space or control character, or the end) starts a comment; "--x" does not. */
    private static boolean lineComment(final String s, final int i) {
        return i + 1 < s.length()
                && s.charAt(i + 1) == '-'
                && (i + 2 == s.length() || Character.isWhitespace(s.charAt(i + 2)) || s.charAt(i + 2) < ' ');
    }
}
