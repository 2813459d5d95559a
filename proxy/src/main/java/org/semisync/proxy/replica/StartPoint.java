package org.semisync.proxy.replica;

import org.semisync.proxy.binlog.BinlogRing;
import org.semisync.proxy.binlog.RawEvent;

/**
 * Where in the ring a dump starts: the sequence of the first event to send and the coordinates it starts at.
 *
 * @param sequence ring sequence of the first event to send
 */
record StartPoint(long sequence, String file, long position) {

    /** For a file/position request; null when the ring does not hold it. */
    static StartPoint ofPosition(final BinlogRing ring, final String file, final long position) {
        final long published = ring.published();
        if (published >= 0) {
            final RawEvent last = ring.read(published);
            if (last != null && last.file().equals(file) && last.endPosition() == position) {
                return new StartPoint(published + 1, file, position);
            }
        }
        final long sequence = ring.find(file, position);
        return sequence < 0 ? null : new StartPoint(sequence, file, position);
    }

    /**
     * For a MariaDB GTID request ({@code @slave_connect_state}, e.g. {@code 0-1-5,1-1-9}): just after the newest
     * transaction in the ring whose GTID the replica already has. Null when the ring holds none of them.
     */
    static StartPoint ofGtidState(final BinlogRing ring, final String state) {
        final java.util.Set<String> gtids = new java.util.HashSet<>();
        for (String gtid : state.split(",")) {
            if (!gtid.isBlank()) {
                gtids.add(gtid.strip());
            }
        }
        for (long s = ring.published(); s >= ring.oldest(); s--) {
            final RawEvent event = ring.read(s);
            if (event == null) {
                return null;
            }
            if (event.endsTransaction() && gtids.contains(event.gtid())) {
                return new StartPoint(s + 1, event.file(), event.endPosition());
            }
        }
        return null;
    }
}
