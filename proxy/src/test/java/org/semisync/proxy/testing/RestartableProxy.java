package org.semisync.proxy.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semisync.proxy.demo.EmbeddedMariaDb;

/**
 * The fat jar as a separate process on fixed loopback ports (MySQL and {@code --metrics}), so that it can be
 * SIGKILLed and started again where a balancer expects it. Its stdout and stderr are appended to one log file.
 */
public final class RestartableProxy implements AutoCloseable {
    private static final String READY = "ready: listening on 127.0.0.1:";

    private final EmbeddedMariaDb master;
    private final String name;
    private final int port;
    private final int metricsPort;
    private final Path log;
    private final String[] extra;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private int starts;

    private RestartableProxy(
            final EmbeddedMariaDb master,
            final String name,
            final int port,
            final int metricsPort,
            final Path log,
            final String[] extra) {
        this.master = master;
        this.name = name;
        this.port = port;
        this.metricsPort = metricsPort;
        this.log = log;
        this.extra = extra.clone();
    }

    /** A proxy in front of {@code master} listening on {@code port}, metrics on {@code metricsPort}; not started. */
    public static RestartableProxy on(
            final EmbeddedMariaDb master,
            final String name,
            final int port,
            final int metricsPort,
            final Path log,
            final String... extra) {
        return new RestartableProxy(master, name, port, metricsPort, log, extra);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public int metricsPort() {
        return metricsPort;
    }

    /** Starts the process and returns once it printed its ready line (60 s at most). */
    public synchronized RestartableProxy start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        final String[] options = new String[extra.length + 4];
        options[0] = "--listen";
        options[1] = "127.0.0.1:" + port;
        options[2] = "--metrics";
        options[3] = "127.0.0.1:" + metricsPort;
        System.arraycopy(extra, 0, options, 4, extra.length);
        process = ProxyJar.run(master, options)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        starts++;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (readyLines() < starts) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " printed no ready line within 60 s:\n" + tail());
            }
            Thread.sleep(50);
        }
        return this;
    }

    private int readyLines() throws IOException {
        final Matcher m = Pattern.compile(Pattern.quote(READY + port)).matcher(Files.readString(log));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** The last lines of the log, for failure messages. */
    public String tail() throws IOException {
        final String text = Files.exists(log) ? Files.readString(log) : "";
        return text.substring(Math.max(0, text.length() - 4000));
    }

    /** SIGKILL, and waits until the process is gone. */
    public synchronized void kill() throws InterruptedException {
        Signals.send("KILL", process.pid());
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL for 30 s");
        }
    }

    /** {@code GET /ready}: the status code and the JSON body. */
    public HttpResponse<String> ready() throws IOException, InterruptedException {
        return get("/ready");
    }

    private HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits up to {@code timeout} until {@code /ready} answers 200 with a body containing every one of {@code parts}. */
    public String awaitReady(final Duration timeout, final String... parts) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String seen = "(no answer)";
        while (System.nanoTime() < deadline) {
            final HttpResponse<String> r = ready();
            seen = r.statusCode() + " " + r.body();
            boolean all = r.statusCode() == 200;
            for (String part : parts) {
                all &= r.body().contains(part);
            }
            if (all) {
                return r.body();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " /ready stayed " + seen + ", expected " + String.join(", ", parts));
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
