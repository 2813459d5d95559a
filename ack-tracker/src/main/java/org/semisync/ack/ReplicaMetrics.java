package org.semisync.ack;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleBiFunction;

/**
 * Per-replica gauges, tag {@code replica} (its id): the acknowledged position ({@code semisync.replica.ack.file},
 * the binlog file's number, and {@code semisync.replica.ack.offset}) and its lag behind the newest committed position
 * ({@code semisync.replica.lag.bytes} within one file, NaN across files; {@code semisync.replica.lag.files}).
 * Replicas come and go, so the rows are rebuilt from the latest {@link SemiSyncStatus} by {@link #refresh()}, which
 * the scraper calls before each scrape.
 */
public final class ReplicaMetrics implements MeterBinder {
    private final Supplier<SemiSyncStatus> status;
    private volatile List<Row> rows = List.of();

    /** @param status where the replicas are read from (usually {@code tracker::status}) */
    public ReplicaMetrics(final Supplier<SemiSyncStatus> status) {
        this.status = status;
    }

    private record Row(
            String name, MultiGauge gauge, ToDoubleBiFunction<SemiSyncStatus.ReplicaView, SemiSyncStatus> f) {}

    @Override
    public void bindTo(final MeterRegistry meters) {
        rows = List.of(
                row(
                        meters,
                        "semisync.replica.ack.file",
                        "binlog file number of the replica's acknowledged position",
                        (r, s) -> ReplicaLag.fileIndex(r.watermark())),
                row(
                        meters,
                        "semisync.replica.ack.offset",
                        "offset of the replica's acknowledged position",
                        (r, s) -> r.watermark() == null
                                ? Double.NaN
                                : r.watermark().offset()),
                row(
                        meters,
                        "semisync.replica.lag.bytes",
                        "bytes the replica's acknowledged position is behind the newest commit (NaN across files)",
                        (r, s) -> ReplicaLag.bytesBehind(r.watermark(), s.newestCommitted())),
                row(
                        meters,
                        "semisync.replica.lag.files",
                        "binlog files the replica's acknowledged position is behind the newest commit",
                        (r, s) -> ReplicaLag.filesBehind(r.watermark(), s.newestCommitted())));
    }

    private static Row row(
            final MeterRegistry meters,
            final String name,
            final String help,
            final ToDoubleBiFunction<SemiSyncStatus.ReplicaView, SemiSyncStatus> f) {
        return new Row(name, MultiGauge.builder(name).description(help).register(meters), f);
    }

    /** Replaces the rows with the replicas connected now (a replica that left disappears). */
    public void refresh() {
        final SemiSyncStatus now = status.get();
        for (Row row : rows) {
            row.gauge()
                    .register(
                            now.replicas().stream()
                                    .map(r -> MultiGauge.Row.of(
                                            Tags.of("replica", r.id()), row.f().applyAsDouble(r, now)))
                                    .toList(),
                            true);
        }
    }
}
