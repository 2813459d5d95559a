package org.semisync.proxy.commit;

import java.util.List;
import java.util.Set;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.QueryBytes;

/**
 * What the commit gate knows about a command when it is sent, to judge its response when it ends: whether it may
 * commit (position-probe mode) and whether its answer could show a transaction (AFTER_SYNC).
 *
 * @param mayWriteIfClosed whether it may commit when no transaction was open before it
 * @param mayWriteIfOpen whether it may commit when a transaction was open (BEGIN, SET autocommit=1 commit it)
 * @param single one statement (not a multi-statement text)
 * @param beginsTransaction BEGIN / START TRANSACTION
 * @param rowChange one INSERT/UPDATE/DELETE/REPLACE: in autocommit, zero affected rows means nothing was written
 * @param ending one COMMIT or ROLLBACK: writes only what the transaction wrote
 * @param rollback one ROLLBACK
 * @param mayShowData whether its answer could show a transaction (AFTER_SYNC holds it)
 * @param pureRead reads only, calling no stored function (one that could write is not seen lexically)
 */
record CommandKind(
        boolean mayWriteIfClosed,
        boolean mayWriteIfOpen,
        boolean single,
        boolean beginsTransaction,
        boolean rowChange,
        boolean ending,
        boolean rollback,
        boolean mayShowData,
        boolean pureRead) {
    static final CommandKind READ = new CommandKind(false, false, true, false, false, false, false, true, true);
    static final CommandKind SHOWS_NOTHING =
            new CommandKind(false, false, true, false, false, false, false, false, true);
    static final CommandKind MAY_WRITE = new CommandKind(true, true, true, false, false, false, false, true, false);
    private static final CommandKind READ_CALLING_ROUTINES =
            new CommandKind(false, false, true, false, false, false, false, true, false);

    private static final Set<String> ROW_CHANGES = Set.of("INSERT", "UPDATE", "DELETE", "REPLACE");

    /** Everything, for a session whose commits are found by position probes. */
    static CommandKind classify(final Packet packet) {
        return switch (packet.firstByte()) {
            case Commands.COM_QUERY -> {
                // whether a transaction is open is known only when the previous response has ended (pipelining)
                final List<String> statements = SqlText.split(QueryBytes.text(packet.payload()));
                final boolean mayShow = ReadClassifier.mayShowData(statements);
                if (!WriteClassifier.mayWrite(statements, true)) {
                    if (!statements.stream().allMatch(WriteClassifier::callsOnlyBuiltIns)) {
                        yield READ_CALLING_ROUTINES;
                    }
                    yield mayShow ? READ : SHOWS_NOTHING;
                }
                final List<String> words = SqlText.words(statements.get(0), 4);
                final String first = words.isEmpty() ? "" : words.get(0);
                final boolean single = statements.size() == 1;
                final boolean ending = single
                        && (first.equals("COMMIT") || first.equals("ROLLBACK"))
                        && !words.contains("AND") // COMMIT AND CHAIN keeps a transaction open: judged as any other
                        && !words.contains("TO"); // ROLLBACK TO SAVEPOINT ends nothing
                yield new CommandKind(
                        WriteClassifier.mayWrite(statements, false),
                        true,
                        single,
                        first.equals("BEGIN") || first.equals("START"),
                        single && ROW_CHANGES.contains(first),
                        ending,
                        ending && first.equals("ROLLBACK"),
                        mayShow,
                        false);
            }
            // the statement text is not at hand; a prepared SELECT answers with a result set and is not held
            case Commands.COM_STMT_EXECUTE, Commands.COM_STMT_BULK_EXECUTE -> MAY_WRITE;
            default -> classifyRead(packet);
        };
    }

    /** Only whether the answer could show data (GTID-tracked sessions in AFTER_SYNC). */
    static CommandKind classifyRead(final Packet packet) {
        return switch (packet.firstByte()) {
            case Commands.COM_QUERY ->
                ReadClassifier.mayShowData(SqlText.split(QueryBytes.text(packet.payload()))) ? READ : SHOWS_NOTHING;
            case Commands.COM_STMT_EXECUTE, Commands.COM_STMT_BULK_EXECUTE, Commands.COM_STMT_FETCH -> READ;
            default -> SHOWS_NOTHING; // ping, prepare (metadata), init db, set option, …
        };
    }
}
