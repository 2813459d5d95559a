package org.semisync.proxy.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BinlogRingTest {
    private final List<String> ends = new CopyOnWriteArrayList<>();
    private final ReplicationEvents events =
            (gtid, file, endPosition) -> ends.add(gtid + "@" + file + ":" + endPosition);

    private static RawEvent event(final long start, final int length, final String gtid, final boolean ends) {
        final byte[] bytes = new byte[length];
        EventHeader.writeU32(bytes, 9, length);
        return new RawEvent(bytes, "bin.000001", start, gtid, ends);
    }

    @Test
    void reportsTransactionEndsAndWakesReaders() throws InterruptedException {
        final Semaphore wakeUps = new Semaphore(0);
        try (BinlogRing ring = new BinlogRing(8, events, Executors.defaultThreadFactory())) {
            ring.addReader(wakeUps::release);
            ring.publish(event(4, 30, "0-1-1", false));
            ring.publish(event(34, 31, "0-1-1", true));
            assertThat(wakeUps.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
            assertThat(ring.published()).isEqualTo(1);
            assertThat(ring.read(1).endPosition()).isEqualTo(65);
            assertThat(ring.find("bin.000001", 34)).isEqualTo(1);
            assertThat(ring.find("bin.000001", 35)).isEqualTo(-1);
            assertThat(ring.find("bin.000002", 4)).isEqualTo(-1);
            assertThatThrownBy(() -> ring.read(2)).isInstanceOf(IllegalArgumentException.class);
            // the ends handler runs on its own thread, apart from the one that wakes readers
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ends.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        assertThat(ends).containsExactly("0-1-1@bin.000001:65");
    }

    @Test
    void anEmptyRingHoldsNoPosition() {
        try (BinlogRing ring = new BinlogRing(4, events, Executors.defaultThreadFactory())) {
            assertThat(ring.find("bin.000001", 4)).isEqualTo(-1);
        }
    }

    /** Readers never gate the producer: an unread ring wraps and old sequences read as overwritten. */
    @Test
    void aReaderThatFallsARingBehindSeesItsSlotOverwritten() {
        try (BinlogRing ring = new BinlogRing(4, events, Executors.defaultThreadFactory())) {
            for (int i = 0; i < 10; i++) {
                ring.publish(event(4 + 20L * i, 20, null, true));
            }
            assertThat(ring.published()).isEqualTo(9);
            assertThat(ring.oldest()).isEqualTo(6);
            assertThat(ring.read(5)).isNull();
            assertThat(ring.read(6).startPosition()).isEqualTo(124);
            assertThat(ring.find("bin.000001", 24)).as("before the ring").isEqualTo(-1);
            assertThat(ring.find("bin.000001", 124)).as("the oldest event").isEqualTo(6);
            assertThat(ring.find("bin.000001", 184)).as("the newest event").isEqualTo(9);
            assertThat(ring.find("bin.000001", 130)).as("inside an event").isEqualTo(-1);
        }
        assertThat(ends).hasSize(10);
    }
}
