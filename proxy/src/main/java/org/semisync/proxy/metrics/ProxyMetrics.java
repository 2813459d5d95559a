package org.semisync.proxy.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.semisync.proxy.binlog.RelayHub;
import org.semisync.proxy.client.SessionCounters;
import org.semisync.proxy.commit.PositionProbes;

/**
 * The proxy's own meters: position probes sent ({@code semisync.probes.sent}), client sessions open
 * ({@code semisync.client.sessions}), whether the binlog tail streams ({@code semisync.tail.streaming}) and how often
 * it reconnected ({@code semisync.tail.reconnects}), and replica dumps served from the shared ring
 * ({@code semisync.relay.ring_dumps}) or caught up through a master dump after falling behind it
 * ({@code semisync.relay.catch_up_dumps}). {@code probes} and {@code relay} may be null
 * (no --replication-user); their meters are then absent.
 */
public record ProxyMetrics(PositionProbes probes, SessionCounters sessions, RelayHub relay) implements MeterBinder {
    @Override
    public void bindTo(final MeterRegistry meters) {
        if (probes != null) {
            FunctionCounter.builder("semisync.probes.sent", probes, PositionProbes::probesSent)
                    .description("SHOW MASTER STATUS probes sent for commits without a GTID")
                    .register(meters);
        }
        Gauge.builder("semisync.client.sessions", sessions, SessionCounters::open)
                .description("client and replica connections open now")
                .register(meters);
        if (relay != null) {
            Gauge.builder("semisync.tail.streaming", relay, r -> r.streaming() ? 1 : 0)
                    .description("1 while the binlog tail's dump connection to the master is up")
                    .register(meters);
            FunctionCounter.builder("semisync.tail.reconnects", relay, RelayHub::tailReconnects)
                    .description("times the binlog tail's dump connection was lost and opened again")
                    .register(meters);
            Gauge.builder("semisync.relay.ring_dumps", relay, RelayHub::ringServedDumps)
                    .description("replica dumps served from the shared ring")
                    .register(meters);
            FunctionCounter.builder("semisync.relay.catch_up_dumps", relay, RelayHub::catchUpDumps)
                    .description("master dumps opened for replicas that fell behind the ring (they lag, not reconnect)")
                    .register(meters);
        }
    }
}
