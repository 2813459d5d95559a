package org.semisync.ack;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Wakes the tracker when the oldest waiting commit's deadline passes and no input arrived to notice it. It sleeps
 * until that deadline rather than ticking: all commits share one timeout, so under load the oldest deadline is
 * seconds away and moves on before it is reached, and the timer wakes about once per timeout instead of a hundred
 * times a second (each wake-up cost ~80 µs of CPU on a loaded 2-core machine). The tracker publishes the deadline
 * after every batch and unparks the timer only when it moved before the planned wake-up (a lowered timeout, or the
 * first commit after an idle sleep with a timeout under {@link #MAX_SLEEP_NANOS}).
 */
final class TimeoutTimer {
    /** The longest sleep: idle, and the bound for a clock that is not the system's (tests). */
    static final long MAX_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier clock;
    private final long minSleepNanos;
    private final Runnable due;
    private final Thread thread;

    private volatile long deadline = Long.MAX_VALUE;
    private volatile long plannedWake = Long.MIN_VALUE;
    private volatile boolean stopped;

    /**
     * @param minSleepNanos the resolution: a deadline is checked at most this often
     * @param due runs on the timer's thread when the deadline passed
     */
    TimeoutTimer(final LongSupplier clock, final long minSleepNanos, final Runnable due) {
        this.clock = clock;
        this.minSleepNanos = minSleepNanos;
        this.due = due;
        this.thread = new Thread(this::run, "semisync-ack-tracker-timer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The oldest waiter's deadline now ({@code Long.MAX_VALUE}: none); called by the draining thread. */
    void deadline(final long next) {
        if (next == deadline) {
            return;
        }
        deadline = next;
        if (next < plannedWake) {
            LockSupport.unpark(thread);
        }
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    private void run() {
        while (!stopped) {
            final long now = clock.getAsLong();
            final long next = deadline;
            long sleep = next == Long.MAX_VALUE ? MAX_SLEEP_NANOS : next - now;
            if (sleep <= 0) {
                due.run();
                sleep = minSleepNanos;
            }
            sleep = Math.min(Math.max(sleep, minSleepNanos), MAX_SLEEP_NANOS);
            // a deadline published after this write and before the park unparks us, so the park returns at once
            plannedWake = now + sleep;
            if (deadline != next) {
                continue;
            }
            LockSupport.parkNanos(this, sleep);
        }
    }
}
