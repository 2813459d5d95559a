package org.semisync.proxy.admin;

import java.util.Set;

/** The keywords {@link VariableReadRewrite} needs to find select lists, aliases and table references. */
final class SqlWords {
    private SqlWords() {}

    /** First words of statements that make the whole text untouchable: stored programs, compound statements. */
    static final Set<String> PROGRAM_WORDS = Set.of(
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
    static final Set<String> SELECT_LIST_END = Set.of(
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
    static final Set<String> SELECT_MODIFIERS = Set.of(
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
    static final Set<String> NOT_AN_ALIAS = Set.of("END", "NULL", "TRUE", "FALSE", "UNKNOWN");
    /** Words after which the next word is part of the expression, not an alias. */
    static final Set<String> OPERATOR_WORDS = Set.of(
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
    static final Set<String> AFTER_TABLE = Set.of(
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
    static final int MAX_ALIAS = 256;
}
