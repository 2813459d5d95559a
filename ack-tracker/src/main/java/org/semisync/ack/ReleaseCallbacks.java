package org.semisync.ack;

import java.util.Arrays;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands release callbacks to their executors. When deferring (inside the tracker), they are held until
 * {@link #dispatch()}: the tracker publishes its status snapshot first, so that a client who got its OK after a
 * timeout already reads the status as OFF. Tracker thread only.
 */
final class ReleaseCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseCallbacks.class);

    private boolean deferring;
    private Executor[] executors = new Executor[64];
    private Runnable[] callbacks = new Runnable[64];
    private int size;

    /** From now on, hold callbacks until {@link #dispatch()}. */
    void defer() {
        deferring = true;
    }

    void add(final Executor executor, final Runnable callback) {
        if (!deferring) {
            run(executor, callback);
            return;
        }
        if (size == callbacks.length) {
            executors = Arrays.copyOf(executors, size * 2);
            callbacks = Arrays.copyOf(callbacks, size * 2);
        }
        executors[size] = executor;
        callbacks[size] = callback;
        size++;
    }

    /** Runs the callbacks held back since the last call, in the order they were added. */
    void dispatch() {
        for (int i = 0; i < size; i++) {
            run(executors[i], callbacks[i]);
            executors[i] = null;
            callbacks[i] = null;
        }
        size = 0;
    }

    private static void run(final Executor executor, final Runnable callback) {
        try {
            executor.execute(callback);
        } catch (RuntimeException e) {
            // a rejected executor (e.g. a closed event loop) must not stop the tracker: the client is gone anyway
            LOG.debug("ack-tracker - release callback rejected: {}", e.toString());
        }
    }
}
