package org.semisync.proxy.commit;

import java.util.Optional;
import org.semisync.proxy.protocol.OkPacket;

/**
 * Tells, from an OK packet the master sent on a tracked backend session, whether a transaction reached the binlog:
 * MariaDB reports {@code last_gtid} (type-0 entry) and MySQL its own GTID (type-3 entry, session_track_gtids=OWN_GTID)
 * only for statements that wrote a GTID. One instance per backend session; it remembers the last GTID it reported so
 * that a repeated value is not counted twice.
 */
public final class CommitDetector {
    /** MariaDB's session variable naming the GTID of the session's last binlogged transaction. */
    public static final String LAST_GTID = "last_gtid";

    private String lastGtid;

    /** The GTID of the transaction this OK completed, or empty if it completed none. */
    public Optional<String> committedGtid(final OkPacket ok) {
        final Optional<String> reported =
                ok.systemVariable(LAST_GTID).or(ok::trackedGtids).filter(g -> !g.isBlank());
        if (reported.isEmpty() || reported.get().equals(lastGtid)) {
            return Optional.empty();
        }
        lastGtid = reported.get();
        return reported;
    }

    /** Forgets the remembered GTID (after COM_RESET_CONNECTION / COM_CHANGE_USER the server starts afresh). */
    public void reset() {
        lastGtid = null;
    }
}
