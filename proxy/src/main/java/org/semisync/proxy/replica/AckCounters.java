package org.semisync.proxy.replica;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** ACKs received per replica since the proxy started, for metrics and tests. */
public final class AckCounters {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void increment(final String replicaId) {
        counts.computeIfAbsent(replicaId, id -> new LongAdder()).increment();
    }

    /** ACKs received from {@code replicaId} (0 for an unknown replica). */
    public long count(final String replicaId) {
        final LongAdder adder = counts.get(replicaId);
        return adder == null ? 0 : adder.sum();
    }

    /** A snapshot of all counts. */
    public Map<String, Long> snapshot() {
        final Map<String, Long> copy = new java.util.TreeMap<>();
        counts.forEach((id, adder) -> copy.put(id, adder.sum()));
        return copy;
    }
}
