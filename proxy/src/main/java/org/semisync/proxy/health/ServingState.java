package org.semisync.proxy.health;

/** Whether the process serves or is shutting down ({@code GET /health}); flipped once by the shutdown hook. */
public final class ServingState {
    private volatile boolean stopping;

    /** True until {@link #stopping()} was called. */
    public boolean serving() {
        return !stopping;
    }

    /** Marks the process as shutting down: /health and /ready answer 503 from now on. */
    public void stopping() {
        stopping = true;
    }
}
