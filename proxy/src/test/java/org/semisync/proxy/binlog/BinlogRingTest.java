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
        try (BinlogRing ring = new BinlogRing(8, Long.MAX_VALUE, events, Executors.defaultThreadFactory())) {
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
        try (BinlogRing ring = new BinlogRing(4, Long.MAX_VALUE, events, Executors.defaultThreadFactory())) {
            assertThat(ring.find("bin.000001", 4)).isEqualTo(-1);
        }
    }

    /** Readers never gate the producer: an unread ring wraps and old sequences read as overwritten. */
    @Test
    void aReaderThatFallsARingBehindSeesItsSlotOverwritten() {
        try (BinlogRing ring = new BinlogRing(4, Long.MAX_VALUE, events, Executors.defaultThreadFactory())) {
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
    void holdsAtMostItsBytesBesidesTheNewestEvent() throws InterruptedException {
        final Semaphore wakeUps = new Semaphore(0);
        try (BinlogRing ring = new BinlogRing(64, 100, events, Executors.defaultThreadFactory())) {
            ring.addReader(wakeUps::release);
            for (int i = 0; i < 10; i++) {
                publishHandled(ring, event(4 + 20L * i, 20, null, true));
            }
            assertThat(ring.published()).isEqualTo(9);
            assertThat(ring.oldest())
                    .as("five events of 20 bytes fill 100, then the newest")
                    .isEqualTo(4);
            assertThat(ring.read(3)).isNull();
            assertThat(ring.read(4).startPosition()).isEqualTo(84);
            assertThat(ring.find("bin.000001", 64)).as("dropped").isEqualTo(-1);
            assertThat(ring.find("bin.000001", 84)).isEqualTo(4);
            publishHandled(ring, event(204, 500, null, true));
            assertThat(ring.oldest())
                    .as("an event larger than the ring evicts only what is over the budget before it")
                    .isEqualTo(5);
            assertThat(ring.read(10).bytes()).hasSize(500);
            publishHandled(ring, event(704, 20, null, true));
            assertThat(ring.oldest())
                    .as("then it goes with everything before it")
                    .isEqualTo(11);
            assertThat(ring.find("bin.000001", 704)).isEqualTo(11);
            assertThat(ring.find("bin.000001", 724)).as("past the newest").isEqualTo(-1);
        }
    }

    /**
     * Publishes after the ring handlers are done with everything before (events they have not seen are never dropped,
     * so a test that counts what was dropped waits for them).
     */
    private static void publishHandled(final BinlogRing ring, final RawEvent event) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ring.handled() < ring.published()) {
            assertThat(System.nanoTime()).as("ring handlers done").isLessThan(deadline);
            Thread.sleep(1);
        }
        ring.publish(event);
    }

    /**
     * A reader right behind the producer never finds a published sequence empty: what {@link BinlogRing#published()}
     * reports is set in its slot (a claimed but not yet written slot once read as "overwritten", and the replica was
     * taken for a ring-length behind when it was fully up to date).
     */
    @Test
    void aReaderRightBehindTheProducerNeverSeesAGap() throws Exception {
        final int events = 200_000;
        try (BinlogRing ring =
                new BinlogRing(1 << 18, Long.MAX_VALUE, (gtid, file, end) -> {}, Executors.defaultThreadFactory())) {
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
