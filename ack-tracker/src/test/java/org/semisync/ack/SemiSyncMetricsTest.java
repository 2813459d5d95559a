package org.semisync.ack;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SemiSyncMetricsTest {
    @Test
    void exposesThePluginCountersAndACommitWaitHistogram() throws Exception {
        final AckTracker[] holder = new AckTracker[1];
        final SemiSyncMetrics metrics = new SemiSyncMetrics(() -> holder[0].status());
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AckTracker tracker = AckTracker.builder().releaseObserver(metrics).build()) {
            holder[0] = tracker;
            metrics.bindTo(registry);
            tracker.start();
            tracker.replicaConnected("r1", BinlogPosition.parse("mysql-bin.000001:4"));
            final CountDownLatch released = new CountDownLatch(1);
            tracker.awaitPosition(
                    BinlogPosition.parse("mysql-bin.000001:100"), Runnable::run, (o, n) -> released.countDown());
            tracker.transactionCommitted(null, BinlogPosition.parse("mysql-bin.000001:100"));
            tracker.ack("r1", BinlogPosition.parse("mysql-bin.000001:100"));
            assertThat(released.await(5, TimeUnit.SECONDS)).isTrue();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (tracker.status().yesTx() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(registry.get("semisync.master.yes_tx").functionCounter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get("semisync.master.no_tx").functionCounter().count())
                    .isZero();
            assertThat(registry.get("semisync.master.status").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("semisync.master.clients").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("semisync.master.wait_for_slaves").gauge().value())
                    .isEqualTo(1.0);
            assertThat(registry.get("semisync.master.timeout").gauge().value()).isEqualTo(10.0);
            assertThat(registry.get("semisync.master.quorum.lag.bytes").gauge().value())
                    .isZero();
            final Timer acked = registry.get("semisync.commit.wait")
                    .tag("outcome", "acknowledged")
                    .timer();
            assertThat(acked.count()).isEqualTo(1);
        }
    }
}
