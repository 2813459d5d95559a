package org.semisync.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.semisync.proxy.admin.SqlTokens.Kind;

class SqlTokensTest {
    private static List<String> significant(final String sql) {
        final SqlTokens t = SqlTokens.of(sql);
        return t.tokens().stream()
                .filter(SqlTokens.Token::significant)
                .map(k -> k.kind() + ":" + t.text(k))
                .toList();
    }

    @Test
    void wordsVariablesAndPunctuation() {
        assertThat(significant("SELECT @@global.x, @u FROM a.`b c`;"))
                .containsExactly(
                        "WORD:SELECT",
                        "SYSTEM_VARIABLE:@@global.x",
                        "PUNCTUATION:,",
                        "USER_VARIABLE:@u",
                        "WORD:FROM",
                        "WORD:a",
                        "PUNCTUATION:.",
                        "QUOTED_IDENTIFIER:`b c`",
                        "PUNCTUATION:;");
    }

    @Test
    void stringsAndCommentsAreSingleTokens() {
        assertThat(significant("SELECT 'a''@@x\\'', \"b;\" /* @@x; */ -- @@y\n# z\n1--2"))
                .containsExactly(
                        "WORD:SELECT",
                        "STRING:'a''@@x\\''",
                        "PUNCTUATION:,",
                        "STRING:\"b;\"",
                        "WORD:1",
                        "PUNCTUATION:-",
                        "PUNCTUATION:-",
                        "WORD:2");
    }

    @Test
    void executableCommentsAreOpaque() {
        final SqlTokens t = SqlTokens.of("/*!40101 SELECT @@x */ /*M!100000 y */");
        assertThat(t.tokens().stream().map(SqlTokens.Token::kind))
                .containsExactly(Kind.EXECUTABLE_COMMENT, Kind.SPACE, Kind.EXECUTABLE_COMMENT);
    }

    @Test
    void unterminatedQuotesAndCommentsRunToTheEnd() {
        assertThat(significant("SELECT 'abc")).containsExactly("WORD:SELECT", "STRING:'abc");
        assertThat(significant("SELECT /* abc")).containsExactly("WORD:SELECT");
    }

    @Test
    void stringValuesAndIdentifiers() {
        final SqlTokens t = SqlTokens.of("'it''s\\n\\%' `a``b`");
        assertThat(t.stringValue(t.tokens().get(0))).isEqualTo("it's\n\\%");
        assertThat(t.identifier(t.tokens().get(2))).isEqualTo("a`b");
    }
}
