package org.semisync.ack;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer view of the tracker: the plugin's counters ({@code semisync.master.yes_tx} …) read from the latest
 * {@link SemiSyncStatus}, the settings that alerts compare against ({@code wait_for_slaves}, {@code timeout}),
 * the quorum's lag, and a commit-wait histogram ({@code semisync.commit.wait}, tag {@code outcome}) fed by
 * {@link #released}. Install it with {@code AckTracker.builder().releaseObserver(metrics)} and bind it to a registry.
 */
public final class SemiSyncMetrics implements MeterBinder, ReleaseObserver {
    private final Supplier<SemiSyncStatus> status;
    private volatile MeterRegistry registry;
    private final Timer[] waits = new Timer[ReleaseOutcome.values().length];

    /** @param status where the counters are read from (usually {@code tracker::status}) */
    public SemiSyncMetrics(final Supplier<SemiSyncStatus> status) {
        this.status = status;
    }

    @Override
    public void bindTo(final MeterRegistry meters) {
        counter(meters, "semisync.master.yes_tx", "commits acknowledged by the replica quorum", SemiSyncStatus::yesTx);
        counter(meters, "semisync.master.no_tx", "commits released without acknowledgement", SemiSyncStatus::noTx);
        counter(meters, "semisync.master.no_times", "times semi-sync switched OFF", SemiSyncStatus::noTimes);
        counter(meters, "semisync.master.get_ack", "ACK packets received", SemiSyncStatus::getAck);
        counter(
                meters,
                "semisync.master.request_ack",
                "transactions written while semi-sync was ON",
                SemiSyncStatus::requestAck);
        counter(
                meters,
                "semisync.master.net_waits",
                "events sent to replicas asking for an ACK",
                SemiSyncStatus::netWaits);
        counter(
                meters,
                "semisync.reads.held",
                "responses held in AFTER_SYNC until acknowledged or released",
                SemiSyncStatus::readWaits);
        gauge(meters, "semisync.reads.waiting", "responses held in AFTER_SYNC now", SemiSyncStatus::readsWaiting);
        gauge(
                meters,
                "semisync.master.wait_point.after_sync",
                "1 when rpl_semi_sync_master_wait_point is AFTER_SYNC",
                s -> s.settings().waitPoint() == WaitPoint.AFTER_SYNC ? 1 : 0);
        counter(
                meters,
                "semisync.master.wait_pos_backtraverse",
                "waits below the lowest waiting position",
                SemiSyncStatus::waitPosBacktraverse);
        counter(meters, "semisync.master.timefunc_failures", "clock went backwards", SemiSyncStatus::timefuncFailures);
        gauge(meters, "semisync.master.status", "1 when semi-sync is ON", s -> s.on() ? 1 : 0);
        gauge(meters, "semisync.master.clients", "connected semi-sync replicas", SemiSyncStatus::clients);
        gauge(meters, "semisync.master.wait_sessions", "commits waiting now", SemiSyncStatus::waitSessions);
        gauge(
                meters,
                "semisync.master.tx_avg_wait_time",
                "average acknowledged wait, microseconds",
                SemiSyncStatus::txAvgWaitTimeMicros);
        gauge(
                meters,
                "semisync.master.wait_for_slaves",
                "rpl_semi_sync_master_wait_for_slave_count: replica ACKs a commit waits for",
                s -> s.settings().waitForSlaveCount());
        Gauge.builder("semisync.master.timeout", status, s -> s.get().settings().timeoutMillis() / 1000.0)
                .description("how long a commit waits for ACKs before semi-sync switches OFF")
                .baseUnit("seconds")
                .register(meters);
        gauge(
                meters,
                "semisync.master.quorum.lag.bytes",
                "bytes the quorum's acknowledged position is behind the newest commit (NaN across files)",
                s -> ReplicaLag.bytesBehind(s.quorumPosition(), s.newestCommitted()));
        for (ReleaseOutcome outcome : ReleaseOutcome.values()) {
            waits[outcome.ordinal()] = Timer.builder("semisync.commit.wait")
                    .description("how long commits were held")
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1).dividedBy(100))
                    .maximumExpectedValue(Duration.ofMinutes(1))
                    .register(meters);
        }
        this.registry = meters;
    }

    @Override
    public void released(final ReleaseOutcome outcome, final long waitedNanos) {
        if (registry != null) {
            waits[outcome.ordinal()].record(waitedNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void counter(
            final MeterRegistry meters,
            final String name,
            final String help,
            final ToDoubleFunction<SemiSyncStatus> f) {
        FunctionCounter.builder(name, status, s -> f.applyAsDouble(s.get()))
                .description(help)
                .register(meters);
    }

    private void gauge(
            final MeterRegistry meters,
            final String name,
            final String help,
            final ToDoubleFunction<SemiSyncStatus> f) {
        Gauge.builder(name, status, s -> f.applyAsDouble(s.get()))
                .description(help)
                .register(meters);
    }
}
