package org.semisync.ack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class AckTrackerTest {
    private static BinlogPosition pos(final long offset) {
        return new BinlogPosition("mysql-bin.000001", offset);
    }

    @Test
    void manyProducersWhileAcksStreamInEveryWaiterReleasedOnceAndCountersAddUp() throws Exception {
        final int producers = 8;
        final int perProducer = 25_000;
        final int total = producers * perProducer;
        final AtomicIntegerArray releases = new AtomicIntegerArray(total);
        final LongAdder acknowledged = new LongAdder();
        final CountDownLatch allReleased = new CountDownLatch(total);
        final AtomicLong highestRegistered = new AtomicLong(4);
        final AtomicLong nextOffset = new AtomicLong(4);
        try (AckTracker tracker = AckTracker.builder().tickMillis(5).build().start()) {
            tracker.replicaConnected("r1", pos(4));
            final ExecutorService pool = Executors.newFixedThreadPool(producers + 1);
            final AtomicBoolean producing = new AtomicBoolean(true);
            pool.submit(() -> {
                long acked = 4;
                while (producing.get() || acked < highestRegistered.get()) {
                    final long target = highestRegistered.get();
                    if (target > acked) {
                        acked = target;
                        tracker.ack("r1", pos(acked));
                    } else {
                        Thread.onSpinWait();
                    }
                }
                return null;
            });
            final CountDownLatch producersDone = new CountDownLatch(producers);
            for (int p = 0; p < producers; p++) {
                final int producer = p;
                pool.submit(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        final int id = producer * perProducer + i;
                        final long end = nextOffset.addAndGet(100);
                        tracker.transactionCommitted(null, pos(end));
                        tracker.awaitPosition(pos(end), Runnable::run, (outcome, nanos) -> {
                            releases.incrementAndGet(id);
                            if (outcome == ReleaseOutcome.ACKNOWLEDGED) {
                                acknowledged.increment();
                            }
                            allReleased.countDown();
                        });
                        highestRegistered.accumulateAndGet(end, Math::max);
                    }
                    producersDone.countDown();
                    return null;
                });
            }
            assertThat(producersDone.await(60, TimeUnit.SECONDS)).isTrue();
            producing.set(false);
            assertThat(allReleased.await(60, TimeUnit.SECONDS)).isTrue();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < total; i++) {
                assertThat(releases.get(i)).as("waiter %d", i).isEqualTo(1);
            }
            awaitStatus(tracker, s -> s.yesTx() + s.noTx() == total);
            final SemiSyncStatus s = tracker.status();
            assertThat(s.yesTx() + s.noTx()).isEqualTo(total);
            assertThat(s.yesTx()).isEqualTo(acknowledged.sum());
            assertThat(s.waitSessions()).isZero();
        }
    }

    @Test
    void timeoutsAreDrivenByTheTrackerItselfWithAControllableClock() throws Exception {
        final AtomicLong clock = new AtomicLong(1_000_000_000L);
        try (AckTracker tracker = AckTracker.builder()
                .settings(SemiSyncSettings.DEFAULTS.withTimeoutMillis(2000))
                .clock(clock::get)
                .tickMillis(1)
                .build()
                .start()) {
            final AtomicReference<ReleaseOutcome> outcome = new AtomicReference<>();
            final CountDownLatch released = new CountDownLatch(1);
            tracker.awaitPosition(pos(100), Runnable::run, (o, n) -> {
                outcome.set(o);
                released.countDown();
            });
            assertThat(released.await(200, TimeUnit.MILLISECONDS)).isFalse();
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1999));
            assertThat(released.await(200, TimeUnit.MILLISECONDS)).isFalse();
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
            assertThat(released.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(outcome.get()).isEqualTo(ReleaseOutcome.TIMED_OUT);
            awaitStatus(tracker, s -> !s.on() && s.noTimes() == 1 && s.noTx() == 1);
        }
    }

    @Test
    void aCommitTimesOutOnTheRealClockWithNoFurtherInput() throws Exception {
        try (AckTracker tracker = AckTracker.builder()
                .settings(SemiSyncSettings.DEFAULTS.withTimeoutMillis(200))
                .build()
                .start()) {
            tracker.replicaConnected("r1", pos(4));
            final AtomicReference<ReleaseOutcome> outcome = new AtomicReference<>();
            final CountDownLatch released = new CountDownLatch(1);
            final long start = System.nanoTime();
            tracker.awaitPosition(pos(100), Runnable::run, (o, n) -> {
                outcome.set(o);
                released.countDown();
            });
            assertThat(released.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
            assertThat(outcome.get()).isEqualTo(ReleaseOutcome.TIMED_OUT);
        }
    }

    @Test
    void closeReleasesPendingWaitersAndLaterOnesImmediately() throws Exception {
        final AckTracker tracker = AckTracker.builder().build().start();
        final CountDownLatch released = new CountDownLatch(2);
        final AtomicReference<ReleaseOutcome> first = new AtomicReference<>();
        tracker.awaitPosition(pos(100), Runnable::run, (o, n) -> {
            first.set(o);
            released.countDown();
        });
        tracker.close();
        assertThat(first.get()).isEqualTo(ReleaseOutcome.SHUTDOWN);
        tracker.awaitGtid(Gtid.parse("0-1-1"), Runnable::run, (o, n) -> {
            assertThat(o).isEqualTo(ReleaseOutcome.SHUTDOWN);
            released.countDown();
        });
        assertThat(released.await(1, TimeUnit.SECONDS)).isTrue();
        assertThat(tracker.status().noTx()).isEqualTo(1);
    }

    @Test
    void aFailingCallbackExecutorDoesNotStopTheTracker() throws Exception {
        try (AckTracker tracker = AckTracker.builder().build().start()) {
            tracker.replicaConnected("r1", pos(4));
            tracker.awaitPosition(
                    pos(100),
                    r -> {
                        throw new java.util.concurrent.RejectedExecutionException("event loop closed");
                    },
                    (o, n) -> {});
            final CountDownLatch second = new CountDownLatch(1);
            tracker.awaitPosition(pos(200), Runnable::run, (o, n) -> second.countDown());
            tracker.ack("r1", pos(200));
            assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
            awaitStatus(tracker, s -> s.yesTx() == 2);
        }
    }

    @Test
    void anAckIsAppliedOnTheThreadThatHandsItInBeforeTheCallReturns() {
        try (AckTracker tracker = AckTracker.builder().build().start()) {
            tracker.replicaConnected("r1", pos(4));
            final AtomicReference<Thread> releasedOn = new AtomicReference<>();
            tracker.awaitPosition(pos(100), Runnable::run, (o, n) -> releasedOn.set(Thread.currentThread()));
            assertThat(releasedOn.get()).isNull();
            tracker.ack("r1", pos(100));
            assertThat(releasedOn.get()).isSameAs(Thread.currentThread());
            assertThat(tracker.status().yesTx()).isEqualTo(1);
        }
    }

    @Test
    void aCallbackThatHandsInAnotherInputHasItAppliedByTheSameDrain() {
        try (AckTracker tracker = AckTracker.builder().build().start()) {
            tracker.replicaConnected("r1", pos(4));
            final AtomicReference<ReleaseOutcome> second = new AtomicReference<>();
            tracker.awaitPosition(pos(100), Runnable::run, (o, n) -> {
                // runs inside the drain of the ack below: queued, applied once this callback returns
                tracker.awaitPosition(pos(200), Runnable::run, (o2, n2) -> second.set(o2));
                tracker.ack("r1", pos(200));
                assertThat(second.get()).isNull();
            });
            tracker.ack("r1", pos(100));
            assertThat(second.get()).isEqualTo(ReleaseOutcome.ACKNOWLEDGED);
            assertThat(tracker.status().yesTx()).isEqualTo(2);
        }
    }

    @Test
    void closeCalledFromAReleaseCallbackReturnsAndShutsTheTrackerDown() throws Exception {
        final AckTracker tracker = AckTracker.builder().build().start();
        tracker.replicaConnected("r1", pos(4));
        final AtomicReference<ReleaseOutcome> pending = new AtomicReference<>();
        tracker.awaitPosition(pos(300), Runnable::run, (o, n) -> pending.set(o));
        final long start = System.nanoTime();
        tracker.awaitPosition(pos(100), Runnable::run, (o, n) -> tracker.close());
        tracker.ack("r1", pos(100));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        assertThat(pending.get()).isEqualTo(ReleaseOutcome.SHUTDOWN);
        assertThat(tracker.status().noTx()).isEqualTo(1);
    }

    @Test
    void producersThatOutrunTheDrainingThreadWaitInsteadOfQueueingWithoutBound() throws Exception {
        try (AckTracker tracker = AckTracker.builder().build().start()) {
            tracker.replicaConnected("r1", pos(4));
            final int producers = 8;
            final AtomicLong offset = new AtomicLong(4);
            final AtomicBoolean running = new AtomicBoolean(true);
            final LongAdder released = new LongAdder();
            final LongAdder registered = new LongAdder();
            final ExecutorService pool = Executors.newFixedThreadPool(producers);
            for (int p = 0; p < producers; p++) {
                pool.submit(() -> {
                    while (running.get()) {
                        final BinlogPosition end = pos(offset.addAndGet(10));
                        tracker.awaitPosition(end, Runnable::run, (o, n) -> released.increment());
                        registered.increment();
                        if ((end.offset() & 0x3ff) == 0) {
                            tracker.ack("r1", end);
                        }
                    }
                    return null;
                });
            }
            int maxBacklog = 0;
            final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            while (System.nanoTime() < until) {
                maxBacklog = Math.max(maxBacklog, tracker.backlog());
                Thread.onSpinWait();
            }
            running.set(false);
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(registered.sum()).isPositive();
            assertThat(maxBacklog).isLessThanOrEqualTo(SerialDrain.MAX_BACKLOG + producers);
            tracker.ack("r1", pos(offset.get()));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (released.sum() < registered.sum() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(released.sum()).isEqualTo(registered.sum());
        }
    }

    private static void awaitStatus(final AckTracker tracker, final java.util.function.Predicate<SemiSyncStatus> p)
            throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!p.test(tracker.status()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(p.test(tracker.status())).as("status %s", tracker.status()).isTrue();
    }
}
