package org.semisync.proxy.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semisync.proxy.demo.LocalPorts;

/**
 * A real {@code /usr/bin/prometheus} on a free 127.0.0.1 port, scraping one target every second, with its own storage
 * in {@code dir}; read back through its HTTP API. Killed on close.
 */
public final class PrometheusServer implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/prometheus");

    private static final Pattern SAMPLE =
            Pattern.compile("\"metric\":\\{([^}]*)\\},\"value\":\\[[0-9.e+]+,\"([^\"]+)\"\\]");

    private final Process process;
    private final Path log;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(final Process process, final Path log, final int port) {
        this.process = process;
        this.log = log;
        this.base = "http://127.0.0.1:" + port;
    }

    /** One sample of an instant query: its labels as Prometheus prints them and its value. */
    public record Sample(String labels, double value) {}

    /**
     * Starts prometheus scraping {@code target} ({@code host:port}, job {@code semisync}) every second, loading
     * {@code ruleFile}; returns once its API answers.
     */
    public static PrometheusServer start(final Path dir, final String target, final Path ruleFile)
            throws IOException, InterruptedException {
        final int port = LocalPorts.free();
        final Path config = Files.writeString(
                dir.resolve("prometheus.yml"),
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                        + "rule_files:\n  - " + ruleFile.toAbsolutePath() + "\n"
                        + "scrape_configs:\n  - job_name: semisync\n    static_configs:\n      - targets: ['" + target
                        + "']\n");
        final Path log = dir.resolve("prometheus.log");
        final Process process = new ProcessBuilder(
                        BINARY.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        final PrometheusServer server = new PrometheusServer(process, log, port);
        try {
            server.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady() throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            if (answersReady()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready within 60 s:\n" + log());
    }

    /** Whether /-/ready answers 200; false while the port does not accept connections yet. */
    private boolean answersReady() throws InterruptedException {
        try {
            return get("/-/ready").statusCode() == 200;
        } catch (java.net.ConnectException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("prometheus /-/ready failed: " + e, e);
        }
    }

    private HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The raw JSON answer of {@code path} (e.g. {@code /api/v1/rules}). */
    public String api(final String path) throws IOException, InterruptedException {
        final HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** An instant query through {@code /api/v1/query}. */
    public List<Sample> query(final String promql) throws IOException, InterruptedException {
        final String body = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!body.contains("\"resultType\":\"vector\"")) {
            throw new IllegalStateException("expected an instant vector for " + promql + ", got " + body);
        }
        final List<Sample> samples = new ArrayList<>();
        final Matcher m = SAMPLE.matcher(body);
        while (m.find()) {
            samples.add(new Sample(m.group(1), Double.parseDouble(m.group(2))));
        }
        return samples;
    }

    /** Polls {@code promql} until it returns at least {@code count} samples; returns them. */
    public List<Sample> await(final String promql, final int count, final Duration timeout)
            throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        List<Sample> samples = query(promql);
        while (samples.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(250);
            samples = query(promql);
        }
        if (samples.size() < count) {
            throw new AssertionError(
                    "'" + promql + "' gave " + samples + " after " + timeout + "; prometheus log:\n" + log());
        }
        return samples;
    }

    private String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    @Override
    public void close() throws InterruptedException {
        Signals.terminate(process);
    }
}
