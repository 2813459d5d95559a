package org.semisync.proxy.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.semisync.proxy.replica.Fixtures;

/** Captured MariaDB dump events through the position tracker. */
class BinlogStreamTrackerTest {
    private static final String FILE = "mysql-bin.000001";

    @Test
    void dumpStartIsPlacedWithPositions() {
        final List<byte[]> sent = events("dump_start_stream");
        final BinlogStreamTracker tracker = new BinlogStreamTracker();
        final List<RawEvent> placed = track(tracker, sent);
        // fake Rotate and the artificial GTID_LIST hold no place; FD, GTID_LIST, BINLOG_CHECKPOINT do
        assertThat(placed).extracting(RawEvent::type).containsExactly(15, 163, 161);
        assertThat(placed).extracting(RawEvent::startPosition).containsExactly(4L, 256L, 285L);
        assertThat(placed).allMatch(e -> e.file().equals(FILE) && !e.endsTransaction());
        assertThat(tracker.position()).isEqualTo(328);
        assertThat(tracker.crc32()).isTrue();
    }

    /** GTID, ANNOTATE_ROWS, TABLE_MAP, WRITE_ROWS, XID: the XID ends the transaction at 1621, the position ACKed. */
    @Test
    void transactionGetsItsGtidAndEndPosition() {
        final List<byte[]> sent = startPast(1378);
        sent.addAll(events("insert_transaction_stream"));
        final List<RawEvent> placed = track(new BinlogStreamTracker(), sent);
        assertThat(placed).extracting(RawEvent::bytes).containsExactlyElementsOf(sent.subList(2, sent.size()));
        assertThat(placed).hasSize(5);
        assertThat(placed).extracting(RawEvent::gtid).containsOnly("0-1-7");
        assertThat(placed).extracting(RawEvent::endsTransaction).containsExactly(false, false, false, false, true);
        assertThat(placed.get(0).startPosition()).isEqualTo(1378);
        assertThat(placed.get(4).endPosition()).isEqualTo(1621);
    }

    @Test
    void aHoleInTheStreamFailsLoudly() {
        final List<byte[]> sent = startPast(1300); // 78 bytes before the transaction
        sent.addAll(events("insert_transaction_stream"));
        final BinlogStreamTracker tracker = new BinlogStreamTracker();
        assertThatThrownBy(() -> track(tracker, sent))
                .isInstanceOf(BinlogCaptureException.class)
                .hasMessageContaining("hole");
    }

    /** The Format_description as a master re-sends it at the start of a dump that begins past it: log_pos 0. */
    private static List<byte[]> startPast(final long position) {
        final List<byte[]> start = new ArrayList<>();
        start.add(SyntheticEvents.fakeRotate(1, FILE, position, true));
        final byte[] fd = events("dump_start_stream").get(1).clone();
        EventHeader.writeU32(fd, 13, 0);
        Crc32.seal(fd);
        start.add(fd);
        return start;
    }

    private static List<RawEvent> track(final BinlogStreamTracker tracker, final List<byte[]> events) {
        final List<RawEvent> placed = new ArrayList<>();
        for (byte[] event : events) {
            final RawEvent raw = tracker.accept(event);
            if (raw != null) {
                placed.add(raw);
            }
        }
        return placed;
    }

    /** Events of a captured semi-sync dump frame: packet header and [00][EF][flag] removed. */
    private static List<byte[]> events(final String fixture) {
        final List<byte[]> events = new ArrayList<>();
        for (byte[] packet : Fixtures.packets(Fixtures.bytes(fixture))) {
            events.add(Arrays.copyOfRange(packet, 7, packet.length));
        }
        return events;
    }
}
