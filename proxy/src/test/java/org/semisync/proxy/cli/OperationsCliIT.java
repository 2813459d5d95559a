package org.semisync.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.testing.ProxyJar;
import org.semisync.proxy.testing.SharedServers;

/**
 * The fat jar as operators run it: {@code --metrics} serves /health, /ready (the tail streams from the master) and
 * /metrics, and everything on stderr is in logback's one-line format.
 */
@ExtendWith(SharedServers.class)
class OperationsCliIT {
    private static final String LOGBACK_LINE =
            "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) \\S+ - .*";

    @Test
    void healthReadyMetricsAndOneLogFormat(@TempDir final Path dir) throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(MariaDbVersion.V11_4_5);
        final int metricsPort;
        try (ServerSocket s = new ServerSocket(0)) {
            metricsPort = s.getLocalPort();
        }
        final Path stderr = dir.resolve("stderr.log");
        final Process proxy = ProxyJar.run(master, "--server-id", "4000000077", "--metrics", "127.0.0.1:" + metricsPort)
                .redirectError(stderr.toFile())
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            while (line != null && !line.startsWith("ready: ")) {
                line = out.readLine();
            }
            assertThat(line)
                    .as("ready line; stderr:%n%s", Files.readString(stderr))
                    .isNotNull();
            final HttpClient http = HttpClient.newHttpClient();
            final String base = "http://127.0.0.1:" + metricsPort;
            final HttpResponse<String> health = get(http, base + "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            final HttpResponse<String> ready = get(http, base + "/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body())
                    .startsWith("{\"status\":\"ready\",\"semi_sync\":\"ON\",\"replicas\":0,\"tail\":\"mysql-bin.")
                    .contains("\"master_reachable\":true", "\"accepting_clients\":true");
            assertThat(get(http, base + "/metrics").body())
                    .contains(
                            "semisync_tail_streaming 1.0",
                            "semisync_tail_reconnects_total 0.0",
                            "semisync_probes_sent_total",
                            "semisync_master_status 1.0");
        } finally {
            proxy.destroy();
            assertThat(proxy.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        final List<String> lines = Files.readAllLines(stderr);
        assertThat(lines)
                .as("stderr")
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).matches(LOGBACK_LINE));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(" INFO  MetricsServer - metrics - serving"));
    }

    private static HttpResponse<String> get(final HttpClient http, final String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
