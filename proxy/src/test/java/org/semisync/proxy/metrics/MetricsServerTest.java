package org.semisync.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.semisync.proxy.config.HostPort;

class MetricsServerTest {
    @Test
    void servesTheRegistryInPrometheusFormatAnd404Elsewhere() throws Exception {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("semisync.test.events").increment(3);
        try (MetricsServer server = MetricsServer.start(new HostPort("127.0.0.1", 0), registry)) {
            final HttpClient http = HttpClient.newHttpClient();
            final String base = "http://127.0.0.1:" + server.address().getPort();
            final HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(metrics.body()).contains("semisync_test_events_total 3.0");
            final HttpResponse<String> other = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/other")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
        }
    }
}
