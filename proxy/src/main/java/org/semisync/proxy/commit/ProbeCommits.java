package org.semisync.proxy.commit;

import org.semisync.proxy.protocol.OkPacket;
import org.semisync.proxy.protocol.ServerStatus;

/**
 * Position-probe mode: follows one session's transactions through its responses and tells, when a response ends,
 * whether it may have committed something to the binlog — then its last packet waits for a probed position. What
 * surely wrote nothing is neither held nor counted, as the plugin counts only what reached the binlog: read-only
 * statements, a statement that leaves a transaction open, an autocommit row change that changed no row, a COMMIT of
 * a transaction in which nothing could write, a ROLLBACK without the warning that non-transactional changes stay.
 * One per session, on its event loop.
 */
final class ProbeCommits {
    /** IN_TRANS before the response now arriving. */
    private boolean transactionOpen;
    /** Whether a statement that may write ran in the open transaction. */
    private boolean transactionMayHaveWritten;

    private boolean responseHadOk;
    private long responseAffectedRows;
    private int responseWarnings;

    /** An OK packet of the response now arriving. */
    void onOk(final OkPacket ok) {
        responseHadOk = true;
        responseAffectedRows += ok.affectedRows();
        responseWarnings += ok.warnings();
    }

    /**
     * The response to {@code command} has ended with server status {@code status}; returns whether it may have
     * committed a transaction to the binlog.
     */
    boolean ended(final CommandKind command, final int status) {
        final boolean openBefore = transactionOpen;
        final boolean openAfter = (status & ServerStatus.IN_TRANS) != 0;
        transactionOpen = openAfter;
        final boolean hadOk = responseHadOk;
        final long affectedRows = responseAffectedRows;
        final int warnings = responseWarnings;
        responseHadOk = false;
        responseAffectedRows = 0;
        responseWarnings = 0;
        final boolean mayWrite =
                command != null && (openBefore ? command.mayWriteIfOpen() : command.mayWriteIfClosed());
        final boolean wroteInTransaction = transactionMayHaveWritten;
        if (openAfter) {
            // anything but a pure read may have written inside the transaction (a SELECT calling a stored
            // function included): its COMMIT is then held
            transactionMayHaveWritten |=
                    command == null || (!command.pureRead() && !command.ending() && !command.beginsTransaction());
        } else {
            transactionMayHaveWritten = false;
        }
        if (!mayWrite || !hadOk) {
            return false;
        }
        if (command.single() && (command.beginsTransaction() ? !openBefore : openAfter)) {
            // one statement that leaves a transaction open committed nothing, except BEGIN, which commits the
            // transaction that was open before it
            return false;
        }
        if (command.rowChange() && affectedRows == 0 && !openBefore) {
            // an autocommit row change that changed no row wrote no row event (with binlog_format=STATEMENT the
            // master does log it, but the replicas lose nothing without it)
            return false;
        }
        if (command.ending() && openBefore) {
            // a ROLLBACK that kept non-transactional changes (and binlogged them) warns with
            // ER_WARNING_NOT_COMPLETE_ROLLBACK; one without warnings wrote nothing
            return command.rollback() ? warnings > 0 : wroteInTransaction;
        }
        return true;
    }
}
