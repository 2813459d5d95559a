package org.semisync.proxy.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import org.semisync.ack.ReleaseObserver;
import org.semisync.ack.ReplicaMetrics;
import org.semisync.ack.SemiSyncMetrics;
import org.semisync.ack.SemiSyncStatus;

/**
 * The Prometheus registry with the tracker's meters ({@link SemiSyncMetrics}, {@link ReplicaMetrics}) bound, and what
 * a scrape does: refresh the per-replica rows, then render. The status supplier is read lazily, so it may name a
 * tracker that is built afterwards with {@link #releaseObserver()}.
 */
public final class PrometheusMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SemiSyncMetrics semiSync;
    private final ReplicaMetrics replicas;

    public PrometheusMetrics(final Supplier<SemiSyncStatus> status) {
        this.semiSync = new SemiSyncMetrics(status);
        this.replicas = new ReplicaMetrics(status);
        semiSync.bindTo(registry);
        replicas.bindTo(registry);
    }

    /** Feeds the commit-wait histogram: install with {@code AckTracker.builder().releaseObserver(...)}. */
    public ReleaseObserver releaseObserver() {
        return semiSync;
    }

    /** Adds more meters (e.g. {@link ProxyMetrics}). */
    public void bind(final MeterBinder binder) {
        binder.bindTo(registry);
    }

    /** The Prometheus text format, with the replicas connected now. */
    public String scrape() {
        replicas.refresh();
        return registry.scrape();
    }
}
