package org.semisync.proxy.binlog;

import java.util.Objects;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.MariaDbGtid;
import org.semisync.ack.MysqlGtid;

/** Feeds {@link ReplicationEvents} into the {@link AckTracker}. */
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

    @Override
    public void replicaConnected(final String replicaId, final String file, final long position) {
        tracker.replicaConnected(replicaId, new BinlogPosition(file, position));
    }

    @Override
    public void acknowledged(final String replicaId, final String file, final long position) {
        tracker.ack(replicaId, new BinlogPosition(file, position));
    }

    @Override
    public void replicaDisconnected(final String replicaId) {
        tracker.replicaDisconnected(replicaId);
    }
}
