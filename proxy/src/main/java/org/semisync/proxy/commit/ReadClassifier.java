package org.semisync.proxy.commit;

import java.util.List;
import java.util.Set;

/**
 * Wait point AFTER_SYNC: whether the answer to a COM_QUERY could show a transaction (rows, counts, errors about
 * rows). Conservative: anything not recognised shows data. What shows none: SELECT/DO/SET without a table or
 * subquery that call only read-only built-ins (driver and replica set-up, {@code SELECT 1} health checks), SHOW of
 * variables, status, warnings and errors, USE, KILL, HELP, DEALLOCATE, BEGIN/START TRANSACTION and ROLLBACK. Those
 * are answered at once; a replica's own set-up queries must be, or its ACKs could never come.
 */
final class ReadClassifier {
    private static final Set<String> SHOWS_NOTHING = Set.of("USE", "KILL", "HELP", "DEALLOCATE", "BEGIN", "ROLLBACK");
    private static final Set<String> EXPRESSION_ONLY = Set.of("SELECT", "DO", "SET");
    private static final Set<String> SHOW_NOTHING_OF =
            Set.of("VARIABLES", "STATUS", "GLOBAL", "SESSION", "LOCAL", "WARNINGS", "ERRORS", "COLLATION", "CHARACTER");

    /** Drivers' connect-time SELECT lists are long; longer texts are taken as showing data. */
    private static final int MAX_WORDS = 512;

    private ReadClassifier() {}

    /** Whether the answer to these statements ({@link SqlText#split}) could show a transaction's effects. */
    static boolean mayShowData(final List<String> statements) {
        for (final String statement : statements) {
            if (statementMayShowData(statement)) {
                return true;
            }
        }
        return false;
    }

    private static boolean statementMayShowData(final String statement) {
        final List<String> words = SqlText.words(statement, MAX_WORDS);
        if (words.isEmpty()) {
            return false;
        }
        final String first = words.get(0);
        if (SHOWS_NOTHING.contains(first)) {
            return false;
        }
        if (first.equals("START")) {
            return words.size() < 2 || !words.get(1).equals("TRANSACTION");
        }
        if (first.equals("SHOW")) {
            return words.size() < 2 || !SHOW_NOTHING_OF.contains(words.get(1));
        }
        if (EXPRESSION_ONLY.contains(first)) {
            return words.size() >= MAX_WORDS
                    || words.contains("FROM")
                    || words.subList(1, words.size()).contains("SELECT")
                    || words.contains(SqlText.EXECUTABLE_COMMENT)
                    || !WriteClassifier.callsOnlyBuiltIns(statement);
        }
        return true;
    }
}
