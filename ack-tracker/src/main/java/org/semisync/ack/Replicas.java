package org.semisync.ack;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connected semi-sync replicas, their acknowledged watermarks and the quorum position. Tracker thread only. */
final class Replicas {
    private static final Logger LOG = LoggerFactory.getLogger(Replicas.class);

    private final Map<String, SemiSyncStatus.ReplicaView> byId = new LinkedHashMap<>();
    /** The views as last published; rebuilt only after a change (most batches change nothing here). */
    private List<SemiSyncStatus.ReplicaView> views = List.of();

    private boolean changed;

    int size() {
        return byId.size();
    }

    /** A dump started at {@code start}: like the plugin, that counts as the replica's first ACK. */
    void connect(final long now, final String id, final BinlogPosition start) {
        final SemiSyncStatus.ReplicaView old = byId.get(id);
        final BinlogPosition watermark = old == null ? start : BinlogPosition.max(old.watermark(), start);
        byId.put(id, new SemiSyncStatus.ReplicaView(id, watermark, old == null ? 0 : old.acks(), now));
        changed = true;
    }

    /** Returns whether {@code id} was connected. */
    boolean disconnect(final String id) {
        final boolean was = byId.remove(id) != null;
        changed |= was;
        return was;
    }

    /**
     * Records an ACK ({@code packet}: counted in the replica's acks) or a cover; returns whether the replica's
     * watermark advanced. One that does not advance (duplicate or backwards) is counted but changes nothing.
     */
    boolean ack(final long now, final String id, final BinlogPosition position, final boolean packet) {
        final SemiSyncStatus.ReplicaView replica = byId.get(id);
        if (replica == null) {
            LOG.debug("ack-tracker - ACK {} from unknown replica {} ignored", position, id);
            return false;
        }
        final int counted = packet ? 1 : 0;
        final boolean advances = replica.watermark() == null || position.compareTo(replica.watermark()) > 0;
        final BinlogPosition watermark = advances ? position : replica.watermark();
        byId.put(id, new SemiSyncStatus.ReplicaView(id, watermark, replica.acks() + counted, now));
        changed = true;
        return advances;
    }

    /** The {@code n}-th highest watermark among connected replicas, or null with fewer than {@code n}. */
    BinlogPosition quorum(final int n) {
        if (byId.size() < n) {
            return null;
        }
        if (n == 1) {
            BinlogPosition highest = null;
            for (SemiSyncStatus.ReplicaView r : byId.values()) {
                highest = BinlogPosition.max(highest, r.watermark());
            }
            return highest;
        }
        final BinlogPosition[] marks = new BinlogPosition[byId.size()];
        int count = 0;
        for (SemiSyncStatus.ReplicaView r : byId.values()) {
            if (r.watermark() != null) {
                marks[count++] = r.watermark();
            }
        }
        if (count < n) {
            return null;
        }
        Arrays.sort(marks, 0, count);
        return marks[count - n];
    }

    /** The replicas in connection order, for the status snapshot. */
    List<SemiSyncStatus.ReplicaView> views() {
        if (changed) {
            views = List.copyOf(byId.values());
            changed = false;
        }
        return views;
    }
}
