package org.semisync.proxy.commit;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides, for position-probe mode, whether a COM_QUERY may have put a transaction into the binlog, without parsing
 * SQL. Conservative: anything it does not recognise as read-only may write. Read-only are SELECT (without INTO),
 * SHOW, DESCRIBE/DESC, EXPLAIN, USE, HELP, KILL, CHECKSUM, DEALLOCATE, SET of global, session or user variables
 * (never binlogged) that calls no function but read-only built-ins and does not turn autocommit on inside a
 * transaction — but not SET PASSWORD, SET DEFAULT ROLE or SET STATEMENT … FOR, which write or run a statement — and
 * BEGIN/START TRANSACTION when no transaction was open (otherwise they commit it implicitly). Such statements are
 * never held and never counted as semi-sync transactions, as with the plugin, which counts only what reached the
 * binlog. A stored function called from a SELECT can write; such applications need tracking mode or
 * must accept that those writes are not held (documented limit).
 */
public final class WriteClassifier {
    private static final Set<String> READ_ONLY =
            Set.of("SHOW", "DESCRIBE", "DESC", "EXPLAIN", "USE", "HELP", "KILL", "CHECKSUM", "DEALLOCATE");
    /** SET forms that are binlogged or run another statement. */
    private static final Set<String> WRITING_SET = Set.of("PASSWORD", "DEFAULT", "STATEMENT");

    private static final Set<String> TRANSACTION_START = Set.of("BEGIN", "START");

    /**
     * Functions drivers call in their connect-time SET statements; they read only. Any other call in a SET may be a
     * stored function that writes.
     */
    private static final Set<String> BUILT_INS = Set.of(
            "CONCAT",
            "CONCAT_WS",
            "IF",
            "IFNULL",
            "COALESCE",
            "NULLIF",
            "REPLACE",
            "FIND_IN_SET",
            "LOWER",
            "UPPER",
            "LCASE",
            "UCASE",
            "CAST",
            "CONVERT",
            "LEAST",
            "GREATEST",
            "NOW",
            "DATABASE",
            "SCHEMA",
            "CHAR",
            "TRIM",
            "LTRIM",
            "RTRIM",
            "SUBSTRING",
            "SUBSTR",
            "SUBSTRING_INDEX",
            "MID",
            "LEFT",
            "RIGHT",
            "LENGTH",
            "CHAR_LENGTH",
            "LOCATE",
            "INSTR",
            "POSITION",
            "FIELD",
            "ELT",
            "LPAD",
            "RPAD",
            "REPEAT",
            "REVERSE",
            "HEX",
            "UNHEX",
            "ABS",
            "ROUND",
            "FLOOR",
            "CEIL",
            "CEILING",
            "UNIX_TIMESTAMP",
            "UTC_TIMESTAMP",
            "CURRENT_USER",
            "USER",
            "VERSION",
            "CONNECTION_ID",
            "IN",
            "NOT",
            "AND",
            "OR",
            "EXISTS");

    private static final Pattern CALL = Pattern.compile("([A-Za-z_][A-Za-z0-9_$.]*)\\s*\\(");

    private WriteClassifier() {}

    /** Whether every function call in {@code statement} (a name before "(") is a read-only built-in. */
    static boolean callsOnlyBuiltIns(final String statement) {
        final Matcher m = CALL.matcher(statement);
        while (m.find()) {
            if (!BUILT_INS.contains(m.group(1).toUpperCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the query text may have written to the binlog.
     *
     * @param inTransactionBefore whether the session had a transaction open before the query (IN_TRANS in the
     *     previous OK's status): then BEGIN commits it
     */
    public static boolean mayWrite(final String sql, final boolean inTransactionBefore) {
        return mayWrite(SqlText.split(sql), inTransactionBefore);
    }

    /** {@link #mayWrite(String, boolean)} for a text already split into statements ({@link SqlText#split}). */
    public static boolean mayWrite(final List<String> statements, final boolean inTransactionBefore) {
        for (final String statement : statements) {
            if (statementMayWrite(statement, inTransactionBefore)) {
                return true;
            }
        }
        return false;
    }

    private static boolean statementMayWrite(final String statement, final boolean inTransactionBefore) {
        final List<String> words = SqlText.words(statement, 64);
        if (words.isEmpty()) {
            return false;
        }
        final String first = words.get(0);
        if (READ_ONLY.contains(first)) {
            return false;
        }
        if (first.equals("SELECT") || first.equals("(") || first.equals("WITH")) {
            return words.contains("INTO") || words.contains(SqlText.EXECUTABLE_COMMENT);
        }
        if (TRANSACTION_START.contains(first)) {
            return inTransactionBefore;
        }
        if (first.equals("SET")) {
            final boolean autocommit = words.contains("AUTOCOMMIT")
                    || words.contains("@@AUTOCOMMIT")
                    || words.contains("@@SESSION.AUTOCOMMIT");
            return (autocommit && inTransactionBefore)
                    || (words.size() > 1 && WRITING_SET.contains(words.get(1)))
                    || !callsOnlyBuiltIns(statement)
                    || words.contains(SqlText.EXECUTABLE_COMMENT);
        }
        return true;
    }
}
