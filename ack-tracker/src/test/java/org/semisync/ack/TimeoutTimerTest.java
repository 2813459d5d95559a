package org.semisync.ack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TimeoutTimerTest {
    private static final long RESOLUTION = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void withNoDeadlineTheTimerDoesNotRun() throws Exception {
        final AtomicInteger runs = new AtomicInteger();
        final TimeoutTimer timer = new TimeoutTimer(System::nanoTime, RESOLUTION, runs::incrementAndGet);
        timer.start();
        try {
            Thread.sleep(300);
            assertThat(runs).hasValue(0);
        } finally {
            timer.stop();
        }
    }

    @Test
    void runsOnceWhenTheDeadlinePassesAndNotBefore() throws Exception {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicReference<TimeoutTimer> self = new AtomicReference<>();
        final CountDownLatch ran = new CountDownLatch(1);
        final TimeoutTimer timer = new TimeoutTimer(System::nanoTime, RESOLUTION, () -> {
            runs.incrementAndGet();
            self.get().deadline(Long.MAX_VALUE); // as the tracker does once it timed the waiter out
            ran.countDown();
        });
        self.set(timer);
        timer.start();
        try {
            final long start = System.nanoTime();
            timer.deadline(start + TimeUnit.MILLISECONDS.toNanos(150));
            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
            Thread.sleep(100);
            assertThat(runs).hasValue(1);
        } finally {
            timer.stop();
        }
    }

    @Test
    void anEarlierDeadlineWakesATimerThatSleepsUntilALaterOne() throws Exception {
        final CountDownLatch ran = new CountDownLatch(1);
        final TimeoutTimer timer = new TimeoutTimer(System::nanoTime, RESOLUTION, ran::countDown);
        timer.start();
        try {
            timer.deadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            Thread.sleep(50); // the timer now sleeps for its longest sleep (1 s)
            final long start = System.nanoTime();
            timer.deadline(start + TimeUnit.MILLISECONDS.toNanos(20));
            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("woken for the earlier deadline, not at the end of its 1 s sleep")
                    .isLessThan(700);
        } finally {
            timer.stop();
        }
    }
}
