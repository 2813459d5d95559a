package org.semisync.proxy.client;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Client connection counters, written by every event loop, read by status and metrics. */
public final class SessionCounters {
    private final AtomicLong open = new AtomicLong();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder authenticated = new LongAdder();
    private final LongAdder tls = new LongAdder();

    void clientOpened() {
        open.incrementAndGet();
        accepted.increment();
    }

    void clientAuthenticated() {
        authenticated.increment();
    }

    void clientUsedTls() {
        tls.increment();
    }

    void clientClosed() {
        open.decrementAndGet();
    }

    /** Client connections open now. */
    public long open() {
        return open.get();
    }

    /** Client connections accepted since start. */
    public long accepted() {
        return accepted.sum();
    }

    /** Client connections that switched to TLS since start. */
    public long tls() {
        return tls.sum();
    }

    /** Client connections the master authenticated since start. */
    public long authenticated() {
        return authenticated.sum();
    }
}
