package org.semisync.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.testing.GateCluster;
import org.semisync.proxy.testing.PrometheusServer;
import org.semisync.proxy.testing.PrometheusServer.Sample;
import org.semisync.proxy.testing.ProxyUnderTest;
import org.semisync.proxy.testing.SemiSyncTopology;

/**
 * A real Prometheus scrapes the proxy's /metrics while a 10.2.11 master (position probes) commits through the proxy
 * with two semi-sync replicas, and what it stored is read back through its query API; the alert rules load and none
 * fires.
 */
class PrometheusScrapeIT {
    private static final int COMMITS = 6;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void prometheusScrapesStatusCountersReplicasHistogramAndProbes(@TempDir final Path dir) throws Exception {
        assumeTrue(
                Files.isExecutable(PrometheusServer.BINARY),
                "/usr/bin/prometheus is absent: install Debian's prometheus package (.ci/run does)");
        final GateCluster[] cluster = new GateCluster[1];
        final PrometheusMetrics meters =
                new PrometheusMetrics(() -> cluster[0].proxy().tracker().status());
        try (GateCluster started = GateCluster.start(
                MariaDbVersion.V10_2_11,
                "prom",
                SemiSyncSettings.DEFAULTS,
                meters.releaseObserver(),
                ProxyUnderTest.TEST_RING_BYTES)) {
            cluster[0] = started;
            meters.bind(new ProxyMetrics(
                    started.proxy().probes(),
                    started.proxy().server().counters(),
                    started.proxy().relay()));
            try (MetricsServer endpoint = MetricsServer.start(new HostPort("127.0.0.1", 0), meters::scrape, null)) {
                commit(started);
                SemiSyncTopology.awaitStatus(started.proxy(), s -> s.yesTx() >= COMMITS);
                assertThat(PromtoolLintTest.checkMetrics(meters.scrape()))
                        .as("promtool check metrics on the live scrape")
                        .isEmpty();
                try (PrometheusServer prometheus = PrometheusServer.start(
                        dir,
                        "127.0.0.1:" + endpoint.address().getPort(),
                        Path.of("..", "docker", "prometheus", "semisync-alerts.yml"))) {
                    assertScraped(prometheus);
                }
            }
        }
    }

    private static void commit(final GateCluster cluster) throws Exception {
        try (Connection c = cluster.mariadb("");
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE prom (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB");
            for (int i = 1; i < COMMITS; i++) {
                s.executeUpdate("INSERT INTO prom VALUES (" + i + ", 'row')");
            }
        }
    }

    private static void assertScraped(final PrometheusServer prometheus) throws Exception {
        prometheus.await("up{job=\"semisync\"} == 1", 1, WAIT);
        prometheus.await("semisync_master_yes_tx_total >= " + COMMITS, 1, WAIT);

        assertThat(single(prometheus, "semisync_master_status")).isEqualTo(1.0);
        assertThat(single(prometheus, "semisync_master_no_tx_total")).isZero();
        assertThat(single(prometheus, "semisync_master_clients")).isEqualTo(2.0);
        assertThat(single(prometheus, "semisync_master_wait_for_slaves")).isEqualTo(1.0);
        assertThat(single(prometheus, "semisync_master_timeout_seconds")).isEqualTo(10.0);
        assertThat(single(prometheus, "semisync_master_wait_sessions"))
                .as("commits held now")
                .isZero();

        final List<Sample> acked = prometheus.await("semisync_replica_ack_offset", 2, WAIT);
        assertThat(acked).allSatisfy(s -> {
            assertThat(s.labels()).contains("\"replica\":");
            assertThat(s.value()).isGreaterThan(4);
        });
        assertThat(prometheus.await("semisync_replica_ack_file", 2, WAIT))
                .allSatisfy(s -> assertThat(s.value()).isGreaterThanOrEqualTo(1));
        assertThat(prometheus.await("semisync_replica_lag_bytes", 2, WAIT))
                .as("replicas that acknowledged every commit")
                .allSatisfy(s -> assertThat(s.value()).isBetween(0.0, 1_048_576.0));

        assertThat(single(prometheus, "semisync_commit_wait_seconds_count{outcome=\"acknowledged\"}"))
                .isGreaterThanOrEqualTo(COMMITS);
        final double p99 = single(
                prometheus,
                "histogram_quantile(0.99, sum by (le) (semisync_commit_wait_seconds_bucket{outcome=\"acknowledged\"}))");
        assertThat(p99)
                .as("p99 commit wait from the histogram, s")
                .isGreaterThan(0)
                .isLessThan(10);

        assertThat(single(prometheus, "semisync_probes_sent_total"))
                .as("position probes on a 10.2.11 master")
                .isGreaterThanOrEqualTo(1);
        assertThat(single(prometheus, "semisync_tail_streaming")).isEqualTo(1.0);

        final String rules = prometheus.api("/api/v1/rules");
        assertThat(rules)
                .contains("\"name\":\"SemiSyncOff\"")
                .contains("\"name\":\"SemiSyncTooFewReplicas\"")
                .contains("\"name\":\"SemiSyncReplicaLagging\"")
                .contains("\"name\":\"SemiSyncCommitsHeldLong\"");
        assertThat(prometheus.query("ALERTS{alertstate=\"firing\"}"))
                .as("no alert fires")
                .isEmpty();
    }

    private static double single(final PrometheusServer prometheus, final String promql) throws Exception {
        final List<Sample> samples = prometheus.await(promql, 1, WAIT);
        assertThat(samples).as(promql).hasSize(1);
        return samples.get(0).value();
    }
}
