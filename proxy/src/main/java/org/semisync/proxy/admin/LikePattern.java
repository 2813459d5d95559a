package org.semisync.proxy.admin;

import java.util.Locale;
import java.util.regex.Pattern;

/** A SQL LIKE pattern ({@code %}, {@code _}, backslash escapes), matched case-insensitively as SHOW ... LIKE does. */
public final class LikePattern {
    private final Pattern regex;

    private LikePattern(final Pattern regex) {
        this.regex = regex;
    }

    /** Compiles {@code like}. */
    public static LikePattern of(final String like) {
        final StringBuilder re = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            final char c = like.charAt(i);
            if (c == '\\' && i + 1 < like.length()) {
                re.append(Pattern.quote(String.valueOf(like.charAt(++i))));
            } else if (c == '%') {
                re.append(".*");
            } else if (c == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new LikePattern(Pattern.compile(re.toString(), Pattern.DOTALL | Pattern.CASE_INSENSITIVE));
    }

    /**
     * The pattern's text before its first {@code %}, unescaped; {@code _} stays (people write {@code
     * 'rpl_semi_sync%'} without escaping the underscores).
     */
    public static String prefix(final String like) {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            final char c = like.charAt(i);
            if (c == '%') {
                break;
            }
            if (c == '\\' && i + 1 < like.length()) {
                out.append(like.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A pattern matching every name. */
    public static LikePattern any() {
        return of("%");
    }

    /** Whether {@code name} matches. */
    public boolean matches(final String name) {
        return regex.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }
}
