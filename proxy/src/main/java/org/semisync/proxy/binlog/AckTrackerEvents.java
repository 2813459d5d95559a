package org.semisync.proxy.binlog;

import java.util.Objects;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.MariaDbGtid;
import org.semisync.ack.MysqlGtid;

/** Reports the ring's transaction ends to the {@link AckTracker}. */
public final class AckTrackerEvents implements ReplicationEvents {
    private final AckTracker tracker;

    public AckTrackerEvents(final AckTracker tracker) {
        this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    @Override
    public void transactionEnded(final String gtid, final String file, final long endPosition) {
        final BinlogPosition end = new BinlogPosition(file, endPosition);
        if (gtid == null) {
            tracker.transactionCommitted(null, end);
        } else if (gtid.indexOf(':') >= 0) {
            tracker.transactionCommitted(MysqlGtid.parse(gtid), end);
        } else {
            tracker.transactionCommitted(MariaDbGtid.parse(gtid), end);
        }
    }
}
