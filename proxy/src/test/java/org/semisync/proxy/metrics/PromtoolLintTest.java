package org.semisync.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.proxy.client.SessionCounters;

/** {@code promtool check metrics} finds nothing to complain about in a scrape with replicas and held commits. */
class PromtoolLintTest {
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @Test
    void aScrapeIsCleanForPromtool() throws Exception {
        assumeTrue(
                Files.isExecutable(PROMTOOL),
                "/usr/bin/promtool is absent: install Debian's prometheus package (.ci/run does)");
        final String scrape = scrapeWithTraffic();
        assertThat(scrape)
                .contains("semisync_master_yes_tx_total 1.0")
                .contains("semisync_replica_lag_bytes{replica=\"r1\"} 0.0")
                .contains("semisync_commit_wait_seconds_bucket{outcome=\"acknowledged\"");

        assertThat(checkMetrics(scrape)).as("promtool check metrics output").isEmpty();
    }

    /** Pipes {@code scrape} into {@code promtool check metrics}; asserts it succeeded and returns what it printed. */
    static String checkMetrics(final String scrape) throws Exception {
        final Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        promtool.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        final String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(promtool.exitValue())
                .as("promtool check metrics:%n%s", output)
                .isZero();
        return output;
    }

    /** A scrape of a tracker with one replica and one acknowledged commit. */
    static String scrapeWithTraffic() throws InterruptedException {
        final AckTracker[] holder = new AckTracker[1];
        final PrometheusMetrics meters = new PrometheusMetrics(() -> holder[0].status());
        try (AckTracker tracker =
                AckTracker.builder().releaseObserver(meters.releaseObserver()).build()) {
            holder[0] = tracker;
            tracker.start();
            meters.bind(new ProxyMetrics(null, new SessionCounters(), null));
            final BinlogPosition end = BinlogPosition.parse("mysql-bin.000001:100");
            tracker.replicaConnected("r1", BinlogPosition.parse("mysql-bin.000001:4"));
            final CountDownLatch released = new CountDownLatch(1);
            tracker.awaitPosition(end, Runnable::run, (o, n) -> released.countDown());
            tracker.transactionCommitted(null, end);
            tracker.ack("r1", end);
            assertThat(released.await(5, TimeUnit.SECONDS)).isTrue();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (tracker.status().yesTx() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return meters.scrape();
        }
    }
}
