package org.semisync.proxy.commit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches position probes: at most one probe is in flight; every request that arrived before a probe was sent is
 * answered by that probe, and requests arriving while it is in flight wait for the next one (the position read by
 * an earlier probe may predate their commit). So a burst of N commits costs one or two probes, not N.
 *
 * <p>Requests come from event loops and completions from the probe's own executor; the short critical sections
 * below never block or call out while holding the lock.
 *
 * @param <P> the probed position
 */
public final class ProbeBatcher<P> {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeBatcher.class);

    private final Supplier<CompletableFuture<P>> probe;
    private final Object lock = new Object();
    private List<BiConsumer<P, Throwable>> waiting = new ArrayList<>();
    private boolean inFlight;
    private long probesSent;

    /** @param probe starts one probe (e.g. SHOW MASTER STATUS on the control pool) and must not block the caller */
    public ProbeBatcher(final Supplier<CompletableFuture<P>> probe) {
        this.probe = Objects.requireNonNull(probe);
    }

    /**
     * Asks for a position at or past everything committed before this call; {@code callback} gets the position or
     * the probe's failure, on the thread that completed the probe.
     */
    public void request(final BiConsumer<P, Throwable> callback) {
        final List<BiConsumer<P, Throwable>> batch;
        synchronized (lock) {
            waiting.add(callback);
            if (inFlight) {
                return;
            }
            batch = takeBatch();
        }
        send(batch);
    }

    /** Probes sent so far (for tests and the status). */
    public long probesSent() {
        synchronized (lock) {
            return probesSent;
        }
    }

    private List<BiConsumer<P, Throwable>> takeBatch() {
        final List<BiConsumer<P, Throwable>> batch = waiting;
        waiting = new ArrayList<>();
        inFlight = true;
        probesSent++;
        return batch;
    }

    private void send(final List<BiConsumer<P, Throwable>> batch) {
        CompletableFuture<P> future;
        try {
            future = probe.get();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((position, failure) -> completed(batch, position, failure));
    }

    private void completed(final List<BiConsumer<P, Throwable>> batch, final P position, final Throwable failure) {
        for (final BiConsumer<P, Throwable> callback : batch) {
            try {
                callback.accept(position, failure);
            } catch (RuntimeException e) {
                // one faulty waiter must not strand the others or leave the batcher marked in flight
                LOG.error("probes - release callback failed", e);
            }
        }
        final List<BiConsumer<P, Throwable>> next;
        synchronized (lock) {
            if (waiting.isEmpty()) {
                inFlight = false;
                return;
            }
            next = takeBatch();
        }
        send(next);
    }
}
