package org.semisync.proxy.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.SemiSyncStatus;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.metrics.MetricsServer;

/** /health and /ready on the metrics listener, with a fake tracker status, master and frontend. */
class HealthEndpointsTest {
    private final AtomicReference<SemiSyncStatus> status = new AtomicReference<>();
    private final AtomicBoolean tailStreaming = new AtomicBoolean(true);
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private final ServingState serving = new ServingState();
    private final HttpClient http = HttpClient.newHttpClient();
    private ServerSocket fakeMaster;
    private MetricsServer server;

    @BeforeEach
    void start() throws Exception {
        status.set(status(true, 2, "mysql-bin.000007:1500", "mysql-bin.000007:1200"));
        fakeMaster = new ServerSocket(0);
        final HostPort master = new HostPort("127.0.0.1", fakeMaster.getLocalPort());
        final Readiness readiness = new Readiness(
                status::get,
                new MasterReachability(master, Duration.ofMillis(500), tailStreaming::get),
                () -> serving.serving() && accepting.get(),
                () -> "mysql-bin.000007:1500");
        server = MetricsServer.start(
                new HostPort("127.0.0.1", 0), () -> "# no metrics\n", new HealthEndpoints(serving, readiness));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        if (!fakeMaster.isClosed()) {
            fakeMaster.close();
        }
    }

    private static SemiSyncStatus status(
            final boolean on, final int clients, final String newest, final String quorum) {
        return new SemiSyncStatus(
                on,
                clients,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                newest == null ? null : BinlogPosition.parse(newest),
                quorum == null ? null : BinlogPosition.parse(quorum),
                null,
                SemiSyncSettings.DEFAULTS,
                List.of(),
                0,
                0);
    }

    private HttpResponse<String> get(final String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + server.address().getPort() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyWithTheStatusAsJson() throws Exception {
        final HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ready.body())
                .isEqualTo("{\"status\":\"ready\",\"semi_sync\":\"ON\",\"replicas\":2,"
                        + "\"tail\":\"mysql-bin.000007:1500\",\"lag_bytes\":300,"
                        + "\"master_reachable\":true,\"accepting_clients\":true}");
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void semiSyncOffIsStillReadyButSaysSo() throws Exception {
        status.set(status(false, 0, "mysql-bin.000007:1500", null));
        final HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"semi_sync\":\"OFF\"", "\"replicas\":0", "\"lag_bytes\":null");
    }

    @Test
    void tailDownButMasterAnswersTcpIsReady() throws Exception {
        tailStreaming.set(false);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void masterUnreachableIsNotReady() throws Exception {
        tailStreaming.set(false);
        fakeMaster.close();
        final HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"not-ready\"", "\"master_reachable\":false");
        assertThat(get("/health").statusCode()).as("alive all the same").isEqualTo(200);
    }

    @Test
    void notAcceptingClientsIsNotReady() throws Exception {
        accepting.set(false);
        final HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"accepting_clients\":false");
    }

    @Test
    void shuttingDownFailsBothProbes() throws Exception {
        serving.stopping();
        final HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).isEqualTo("{\"status\":\"shutting-down\"}");
        assertThat(get("/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void headForProbesAndNoPost() throws Exception {
        final String base = "http://127.0.0.1:" + server.address().getPort();
        final HttpResponse<String> head = http.send(
                HttpRequest.newBuilder(URI.create(base + "/ready"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        final HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create(base + "/health"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get("/metrics").body()).isEqualTo("# no metrics\n");
    }
}
