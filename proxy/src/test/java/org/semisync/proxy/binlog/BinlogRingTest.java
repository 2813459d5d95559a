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
        try (BinlogRing ring = new BinlogRing(8, 1 << 20, events)) {
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
        try (BinlogRing ring = new BinlogRing(1024, 1 << 20, events)) {
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
        try (BinlogRing ring = new BinlogRing(4, 1 << 20, events)) {
            assertThat(ring.find("bin.000001", 4)).isEqualTo(-1);
        }
    }

    /** Readers never gate the producer: an unread ring wraps and old sequences read as overwritten. */
    @Test
    void aReaderThatFallsARingBehindSeesItsSlotOverwritten() {
        try (BinlogRing ring = new BinlogRing(4, 1 << 20, events)) {
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

    /** The arena is a circular log in bytes: old events leave once the newer ones need their room. */
    @Test
    void holdsAtMostItsBytes() {
        try (BinlogRing ring = new BinlogRing(64, 100, events)) {
            for (int i = 0; i < 10; i++) {
                ring.publish(event(4 + 20L * i, 20, null, true));
            }
            assertThat(ring.published()).isEqualTo(9);
            assertThat(ring.oldest()).as("five events of 20 bytes fill 100").isEqualTo(5);
            assertThat(ring.read(4)).isNull();
            assertThat(ring.read(5).startPosition()).isEqualTo(104);
            assertThat(ring.find("bin.000001", 84)).as("dropped").isEqualTo(-1);
            assertThat(ring.find("bin.000001", 104)).isEqualTo(5);
        }
    }

    @Test
    void anEventNeverWrapsRoundTheArenasEnd() {
        try (BinlogRing ring = new BinlogRing(64, 100, events)) {
            for (int i = 0; i < 4; i++) {
                ring.publish(event(4 + 24L * i, 24, null, true));
            }
            assertThat(ring.oldest()).as("96 of 100 bytes used").isZero();
            ring.publish(event(100, 24, null, true));
            assertThat(ring.oldest())
                    .as("the last 4 bytes stay unused; the event goes to the start, over the first event only")
                    .isEqualTo(1);
            assertThat(ring.read(4).startPosition()).isEqualTo(100);
            assertThat(ring.read(1).startPosition()).isEqualTo(28);
        }
    }

    /**
     * An event larger than a quarter of the arena keeps its own array, in a budget of the ring's bytes besides the
     * newest: a row larger than the ring does not evict the events readers right behind it still need.
     */
    @Test
    void largeEventsAreHeldApartWithinTheBudget() {
        try (BinlogRing ring = new BinlogRing(64, 100, events)) {
            for (int i = 0; i < 5; i++) {
                ring.publish(event(4 + 20L * i, 20, null, true));
            }
            ring.publish(event(104, 500, null, true));
            assertThat(ring.oldest()).as("nothing dropped for it").isZero();
            assertThat(ring.read(5).bytes()).hasSize(500);
            ring.publish(event(604, 60, null, true));
            assertThat(ring.oldest())
                    .as(
                            "within the budget besides the newest (60 + 500 > 100): the older large one goes, and all before")
                    .isEqualTo(6);
            assertThat(ring.read(5)).isNull();
            assertThat(ring.read(6).bytes()).hasSize(60);
            ring.publish(event(664, 20, null, true));
            assertThat(ring.oldest()).isEqualTo(6);
            assertThat(ring.find("bin.000001", 664)).isEqualTo(7);
            assertThat(ring.find("bin.000001", 684)).as("past the newest").isEqualTo(-1);
        }
    }

    @Test
    void eventsReadBackByteForByteAcrossLaps() {
        final java.util.Random random = new java.util.Random(7);
        try (BinlogRing ring = new BinlogRing(256, 4096, events)) {
            final List<byte[]> published = new java.util.ArrayList<>();
            long position = 4;
            for (int i = 0; i < 2000; i++) {
                final RawEvent e = event(position, 19 + random.nextInt(1200), "0-1-" + i, i % 3 == 0);
                random.nextBytes(e.bytes());
                EventHeader.writeU32(e.bytes(), 9, e.bytes().length);
                published.add(e.bytes());
                ring.publish(e);
                position += e.bytes().length;
                for (long s = ring.oldest(); s <= ring.published(); s++) {
                    final RawEvent read = ring.read(s);
                    assertThat(read).as("held: %d", s).isNotNull();
                    assertThat(read.bytes()).isEqualTo(published.get((int) s));
                    assertThat(read.gtid()).isEqualTo("0-1-" + s);
                    assertThat(read.endsTransaction()).isEqualTo(s % 3 == 0);
                }
            }
            assertThat(ring.oldest()).as("laps of the arena went by").isGreaterThan(1900);
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
        try (BinlogRing ring = new BinlogRing(1 << 18, 64 << 20, (gtid, file, end) -> {})) {
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

    /**
     * A reader on another thread that reads events while the producer laps a small arena over them gets each event
     * whole or not at all (null: dropped), never bytes of another.
     */
    @Test
    void aReaderOnAnotherThreadNeverSeesATornEvent() throws Exception {
        final int count = 300_000;
        try (BinlogRing ring = new BinlogRing(64, 2048, (gtid, file, end) -> {})) {
            final java.util.concurrent.atomic.AtomicLong torn = new java.util.concurrent.atomic.AtomicLong();
            final java.util.concurrent.atomic.AtomicLong whole = new java.util.concurrent.atomic.AtomicLong();
            final Thread reader = new Thread(() -> {
                while (ring.published() < count - 1) {
                    final long newest = ring.published();
                    for (long s = Math.max(0, newest - 40); s <= newest; s++) {
                        final RawEvent e = ring.read(s);
                        if (e == null) {
                            continue;
                        }
                        whole.incrementAndGet();
                        final byte expected = (byte) s;
                        for (int i = EventHeader.SIZE; i < e.bytes().length; i++) {
                            if (e.bytes()[i] != expected) {
                                torn.incrementAndGet();
                                break;
                            }
                        }
                        if (e.startPosition() != 4 + 100L * s) {
                            torn.incrementAndGet();
                        }
                    }
                }
            });
            reader.start();
            for (int i = 0; i < count; i++) {
                final RawEvent e = event(4 + 100L * i, 60 + i % 40, null, true);
                java.util.Arrays.fill(e.bytes(), EventHeader.SIZE, e.bytes().length, (byte) i);
                ring.publish(e);
            }
            reader.join(60_000);
            assertThat(reader.isAlive()).isFalse();
            assertThat(whole.get()).as("events read whole").isPositive();
            assertThat(torn.get())
                    .as("events read with bytes or coordinates of another")
                    .isZero();
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
