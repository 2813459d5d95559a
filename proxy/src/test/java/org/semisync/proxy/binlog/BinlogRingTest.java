package org.semisync.proxy.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
    void reportsTransactionEndsAndWakesReadersOncePerTransaction() {
        final java.util.concurrent.atomic.AtomicInteger wakeUps = new java.util.concurrent.atomic.AtomicInteger();
        try (BinlogRing ring = new BinlogRing(8, Long.MAX_VALUE, events)) {
            ring.addReader(wakeUps::incrementAndGet);
            assertThat(ring.newestTransactionEnd()).isEqualTo(-1);
            ring.publish(event(4, 30, "0-1-1", false));
            assertThat(ring.newestTransactionEnd()).isEqualTo(-1);
            assertThat(wakeUps)
                    .as("nothing to do for a replica before the transaction's end")
                    .hasValue(0);
            assertThat(ends).isEmpty();
            ring.publish(event(34, 31, "0-1-1", true));
            assertThat(wakeUps).hasValue(1);
            assertThat(ends)
                    .as("reported on the producer's thread, before the wake-up")
                    .containsExactly("0-1-1@bin.000001:65");
            assertThat(ring.newestTransactionEnd()).isEqualTo(1);
            ring.publish(event(65, 20, null, false));
            assertThat(wakeUps).as("an event between transactions").hasValue(2);
            assertThat(ring.newestTransactionEnd()).isEqualTo(1);
            assertThat(ring.published()).isEqualTo(2);
            assertThat(ring.read(1).endPosition()).isEqualTo(65);
            assertThat(ring.find("bin.000001", 34)).isEqualTo(1);
            assertThat(ring.find("bin.000001", 35)).isEqualTo(-1);
            assertThat(ring.find("bin.000002", 4)).isEqualTo(-1);
            assertThatThrownBy(() -> ring.read(3)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aLargeTransactionWakesReadersEveryWakeBytes() {
        final java.util.concurrent.atomic.AtomicInteger wakeUps = new java.util.concurrent.atomic.AtomicInteger();
        try (BinlogRing ring = new BinlogRing(1024, Long.MAX_VALUE, events)) {
            ring.addReader(wakeUps::incrementAndGet);
            final int size = 1000;
            final int rows = 3 * ((BinlogRing.WAKE_BYTES + size - 1) / size);
            for (int i = 0; i < rows; i++) {
                ring.publish(event(4 + (long) size * i, size, "0-1-2", false));
            }
            assertThat(wakeUps)
                    .as("readers follow a large transaction before its end")
                    .hasValue(3);
        }
    }

    @Test
    void anEmptyRingHoldsNoPosition() {
        try (BinlogRing ring = new BinlogRing(4, Long.MAX_VALUE, events)) {
            assertThat(ring.find("bin.000001", 4)).isEqualTo(-1);
        }
    }

    /** Readers never gate the producer: an unread ring wraps and old sequences read as overwritten. */
    @Test
    void aReaderThatFallsARingBehindSeesItsSlotOverwritten() {
        try (BinlogRing ring = new BinlogRing(4, Long.MAX_VALUE, events)) {
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

    /** The budget is in bytes: old events leave once the newer ones fill it; the newest counts apart. */
    @Test
    void holdsAtMostItsBytesBesidesTheNewestEvent() {
        try (BinlogRing ring = new BinlogRing(64, 100, events)) {
            for (int i = 0; i < 10; i++) {
                ring.publish(event(4 + 20L * i, 20, null, true));
            }
            assertThat(ring.published()).isEqualTo(9);
            assertThat(ring.oldest())
                    .as("five events of 20 bytes fill 100, then the newest")
                    .isEqualTo(4);
            assertThat(ring.read(3)).isNull();
            assertThat(ring.read(4).startPosition()).isEqualTo(84);
            assertThat(ring.find("bin.000001", 64)).as("dropped").isEqualTo(-1);
            assertThat(ring.find("bin.000001", 84)).isEqualTo(4);
            ring.publish(event(204, 500, null, true));
            assertThat(ring.oldest())
                    .as("an event larger than the ring evicts only what is over the budget before it")
                    .isEqualTo(5);
            assertThat(ring.read(10).bytes()).hasSize(500);
            ring.publish(event(704, 20, null, true));
            assertThat(ring.oldest())
                    .as("then it goes with everything before it")
                    .isEqualTo(11);
            assertThat(ring.find("bin.000001", 704)).isEqualTo(11);
            assertThat(ring.find("bin.000001", 724)).as("past the newest").isEqualTo(-1);
        }
    }

    /**
     * A reader right behind the producer never finds a published sequence empty: what {@link BinlogRing#published()}
     * reports is set in its slot (a claimed but not yet written slot once read as "overwritten", and the replica was
     * taken for a ring-length behind when it was fully up to date).
     */
    @Test
    void aReaderRightBehindTheProducerNeverSeesAGap() throws Exception {
        final int events = 200_000;
        try (BinlogRing ring = new BinlogRing(1 << 18, Long.MAX_VALUE, (gtid, file, end) -> {})) {
            final java.util.concurrent.atomic.AtomicLong gaps = new java.util.concurrent.atomic.AtomicLong();
            final Thread reader = new Thread(() -> {
                long next = 0;
                while (next < events) {
                    final long published = ring.published();
                    for (; next <= published; next++) {
                        if (ring.read(next) == null) {
                            gaps.incrementAndGet();
                        }
                    }
                }
            });
            reader.start();
            for (int i = 0; i < events; i++) {
                ring.publish(event(4 + 20L * i, 20, null, true));
            }
            reader.join(30_000);
            assertThat(reader.isAlive()).isFalse();
            assertThat(gaps.get()).as("published sequences read as gone").isZero();
        }
    }

    @Test
    void slotsAreDerivedFromTheBytes() {
        assertThat(BinlogRing.slotsFor(64L << 20)).isEqualTo(1 << 18);
        assertThat(BinlogRing.slotsFor(256 << 10)).isEqualTo(1024);
        assertThat(BinlogRing.slotsFor(300_000)).isEqualTo(2048);
        assertThat(BinlogRing.slotsFor(1)).isEqualTo(64);
        assertThat(BinlogRing.slotsFor(Long.MAX_VALUE)).isEqualTo(1 << 22);
    }
}
