package org.semisync.ack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.RepeatedTest;

/** close() racing producers and ACKs: nothing dropped, and status() after close() is final. */
class AckTrackerCloseTest {
    private static final int PRODUCERS = 4;
    private static final int MAX_WAITERS = 400_000;

    @RepeatedTest(5)
    void closeWhileProducersRunReleasesEveryWaiterOnceAndTheFinalStatusIsExact() throws Exception {
        final AckTracker tracker = AckTracker.builder().build().start();
        tracker.replicaConnected("r1", new BinlogPosition("mysql-bin.000001", 4));
        final AtomicLong offset = new AtomicLong(4);
        final AtomicInteger registered = new AtomicInteger();
        final AtomicIntegerArray calls = new AtomicIntegerArray(MAX_WAITERS);
        final LongAdder acknowledged = new LongAdder();
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch running = new CountDownLatch(PRODUCERS);
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            threads.add(new Thread(() -> {
                running.countDown();
                int n;
                while (!stop.get() && (n = registered.getAndIncrement()) < MAX_WAITERS) {
                    final int id = n;
                    final BinlogPosition end = new BinlogPosition("mysql-bin.000001", offset.addAndGet(10));
                    tracker.awaitPosition(end, Runnable::run, (outcome, nanos) -> {
                        calls.incrementAndGet(id);
                        if (outcome == ReleaseOutcome.ACKNOWLEDGED) {
                            acknowledged.increment();
                        }
                    });
                    if ((id & 15) == 0) {
                        tracker.ack("r1", end);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        running.await();
        Thread.sleep(20);
        tracker.close();
        // ACKNOWLEDGED callbacks run inline (direct executor) before SHUTDOWN is applied: both numbers are final now
        final long yesAtClose = tracker.status().yesTx();
        assertThat(yesAtClose).isEqualTo(acknowledged.sum());
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        final int total = Math.min(registered.get(), MAX_WAITERS);
        assertThat(total).isPositive();
        for (int i = 0; i < total; i++) {
            assertThat(calls.get(i)).as("callbacks of waiter %d", i).isEqualTo(1);
        }
        assertThat(tracker.status().yesTx()).isEqualTo(yesAtClose);
    }
}
