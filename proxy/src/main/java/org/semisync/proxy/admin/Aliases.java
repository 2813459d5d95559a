package org.semisync.proxy.admin;

import java.util.List;
import org.semisync.proxy.admin.SqlTokens.Kind;
import org.semisync.proxy.admin.SqlTokens.Token;

/** Where SQL gives a name to a select-list item or a table, told from tokens alone. */
final class Aliases {
    private Aliases() {}

    /** Whether a select-list item (its tokens at its own depth) ends with an alias. */
    static boolean endsItem(final SqlTokens sql, final List<Token> item) {
        for (final Token t : item) {
            if (sql.isWord(t, "AS")) {
                return true;
            }
        }
        if (item.size() < 2) {
            return false;
        }
        final Token last = item.get(item.size() - 1);
        final Token before = item.get(item.size() - 2);
        final boolean lastIsName = switch (last.kind()) {
            case QUOTED_IDENTIFIER, STRING -> true;
            case WORD ->
                !SqlWords.NOT_AN_ALIAS.contains(sql.word(last))
                        && !Character.isDigit(sql.text(last).charAt(0));
            default -> false;
        };
        final boolean beforeEndsValue = switch (before.kind()) {
            case SYSTEM_VARIABLE, USER_VARIABLE, STRING, QUOTED_IDENTIFIER -> true;
            case WORD -> !SqlWords.OPERATOR_WORDS.contains(sql.word(before));
            case PUNCTUATION -> sql.isPunctuation(before, ')');
            default -> false;
        };
        return lastIsName && beforeEndsValue;
    }

    /** Whether the token after a table reference is that table's alias. */
    static boolean follows(final SqlTokens sql, final Token t) {
        if (t.kind() == Kind.QUOTED_IDENTIFIER) {
            return true;
        }
        return t.kind() == Kind.WORD && !SqlWords.AFTER_TABLE.contains(sql.word(t));
    }
}
