package org.semisync.ack;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Releases waiters: the plugin's counting of each outcome, the observer, and the callback to the waiter's executor.
 * Tracker thread only.
 */
final class Releases {
    private final StatusCounters counters;
    private final ReleaseObserver observer;
    private final ReleaseCallbacks callbacks = new ReleaseCallbacks();

    Releases(final StatusCounters counters, final ReleaseObserver observer) {
        this.counters = counters;
        this.observer = observer;
    }

    void release(final Waiter w, final ReleaseOutcome outcome, final long now) {
        final boolean wasWaiting = w.counted;
        final long waited = Math.max(0, now - w.registeredNanos);
        w.release(outcome, waited);
        if (w.read()) {
            if (wasWaiting) {
                counters.readsWaiting--;
            }
            callbacks.add(w.executor, w);
            return;
        }
        if (wasWaiting) {
            counters.waiting--;
        }
        switch (outcome) {
            case ACKNOWLEDGED -> {
                counters.yesTx++;
                if (wasWaiting) {
                    counters.txWaits++;
                    counters.txWaitTimeMicros += TimeUnit.NANOSECONDS.toMicros(waited);
                }
            }
            case TIMED_OUT, ASYNC, SHUTDOWN -> counters.noTx++;
            case DISABLED -> {
                /* not a semi-sync transaction, as in the plugin */
            }
        }
        observer.released(outcome, waited);
        callbacks.add(w.executor, w);
    }

    /** From now on, hold the callbacks until {@link #dispatch()}. */
    void defer() {
        callbacks.defer();
    }

    /** Calls {@code listener} (outcome DISABLED, not a commit) with the next dispatch of release callbacks. */
    void notify(final Executor executor, final CommitListener listener) {
        callbacks.add(executor, () -> listener.released(ReleaseOutcome.DISABLED, 0));
    }

    void dispatch() {
        callbacks.dispatch();
    }
}
