package org.semisync.proxy.testing;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.LocalPorts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's fat jar ({@link ProxyJar}) as a process of its own, on fixed loopback ports (MySQL and {@code
 * --metrics}), so that it can be SIGKILLed for real and started again where a balancer expects it. Its stdout and
 * stderr are appended to one log file (a pipe nobody drains could block it). It gets a certificate unless the options
 * name one: without, the proxy generates an RSA key at every start (1.5 s at a load average of 9).
 */
public final class ProxyProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyProcess.class);
    private static final Pattern DETECTION = Pattern.compile("commit detection: (.*)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** One self-signed certificate for every proxy this JVM starts. */
    private static final SelfSignedCertificate CERTIFICATE = selfSigned();

    private final EmbeddedMariaDb master;
    private final String name;
    private final int port;
    private final int metricsPort;
    private final Path log;
    private final List<String> options;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    /** A proxy in front of {@code master} on {@code port}, metrics on {@code metricsPort}, logging to {@code log}. */
    public ProxyProcess(
            final EmbeddedMariaDb master,
            final String name,
            final int port,
            final int metricsPort,
            final Path log,
            final String... extra) {
        this.master = master;
        this.name = name;
        this.port = port;
        this.metricsPort = metricsPort;
        this.log = log;
        final List<String> all =
                new ArrayList<>(List.of("--listen", "127.0.0.1:" + port, "--metrics", "127.0.0.1:" + metricsPort));
        all.addAll(List.of(extra));
        if (!all.contains("--tls-cert")) {
            all.addAll(List.of(
                    "--tls-cert",
                    CERTIFICATE.certificate().getPath(),
                    "--tls-key",
                    CERTIFICATE.privateKey().getPath()));
        }
        this.options = List.copyOf(all);
    }

    /**
     * Starts {@code run} in front of {@code master} on free ports with {@code options}, logging to {@code
     * target/proxy-logs/<logName>.log}; returns once it accepts clients. A proxy that exits during start-up is started
     * again, twice at most: on a loaded machine its first connection to a master that has just started can take longer
     * than the control pool's 5 s (seen at a load average of 22).
     */
    public static ProxyProcess start(final EmbeddedMariaDb master, final String logName, final String... options)
            throws IOException, InterruptedException {
        final Path log =
                Files.createDirectories(Path.of("target", "proxy-logs")).resolve(logName + ".log");
        Files.deleteIfExists(log); // a previous run's
        final ProxyProcess proxy =
                new ProxyProcess(master, logName, LocalPorts.free(), LocalPorts.free(), log, options);
        for (int attempt = 1; ; attempt++) {
            try {
                return proxy.start();
            } catch (ExitedException e) {
                if (attempt == 3) {
                    throw e;
                }
                LOG.warn("{} - start-up failed, starting again: {}", logName, e.getMessage());
            }
        }
    }

    /** The proxy exited before it was ready. */
    private static final class ExitedException extends IllegalStateException {
        ExitedException(final String message) {
            super(message);
        }
    }

    /** Starts the process and returns once it printed a new ready line (90 s at most). */
    public synchronized ProxyProcess start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        final int readyBefore = readyLines();
        process = ProxyJar.run(master, options.toArray(String[]::new))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (readyLines() == readyBefore) {
                if (!process.isAlive()) {
                    throw new ExitedException(name + " exited with " + process.exitValue() + ":\n" + tail());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " printed no ready line within 90 s:\n" + tail());
                }
                Thread.sleep(50);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        return this;
    }

    private int readyLines() throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        final Matcher m = Pattern.compile(Pattern.quote("ready: listening on 127.0.0.1:" + port))
                .matcher(Files.readString(log));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
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

    public long pid() {
        return process.pid();
    }

    /** The last lines of the log, for failure messages. */
    public String tail() throws IOException {
        final String text = Files.exists(log) ? Files.readString(log) : "";
        return text.substring(Math.max(0, text.length() - 4000));
    }

    /** What the proxy last printed as its way of finding commits ({@code commit detection: …}), or null. */
    public String commitDetection() throws IOException {
        String found = null;
        for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            final Matcher m = DETECTION.matcher(l);
            if (m.matches()) {
                found = m.group(1);
            }
        }
        return found;
    }

    /** A MariaDB Connector/J URL through the proxy. */
    public String mariadbUrl(final String database, final String urlOptions) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database + (urlOptions.isEmpty() ? "" : "?" + urlOptions);
    }

    /** A MySQL Connector/J URL through the proxy. */
    public String mysqlUrl(final String database, final String urlOptions) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database + "?sslMode=DISABLED"
                + (urlOptions.isEmpty() ? "" : "&" + urlOptions);
    }

    /** {@code SHOW GLOBAL STATUS LIKE name} through the proxy, as the application account. */
    public String status(final String variable) throws SQLException {
        try (Connection c = DriverManager.getConnection(mariadbUrl("", ""), "app", "app_pass");
                ResultSet rs = c.createStatement().executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    /** Waits up to 30 s until status {@code variable} satisfies {@code condition}. */
    public void awaitStatus(final String variable, final Predicate<String> condition) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String seen = status(variable);
        while (!condition.test(seen) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = status(variable);
        }
        if (!condition.test(seen)) {
            throw new AssertionError(variable + " stayed " + seen);
        }
    }

    /** The value of one Prometheus sample without labels ({@code semisync_reads_held_total}). */
    public double metric(final String sample) throws IOException, InterruptedException {
        for (String l : get("/metrics", Duration.ofSeconds(30)).body().split("\n")) {
            if (l.startsWith(sample + " ")) {
                return Double.parseDouble(l.substring(sample.length() + 1).trim());
            }
        }
        throw new IllegalStateException("no sample " + sample + " in /metrics");
    }

    /** {@code GET /ready}: the status code and the JSON body. */
    public HttpResponse<String> ready() throws IOException, InterruptedException {
        return get("/ready", Duration.ofSeconds(10));
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

    private HttpResponse<String> get(final String path, final Duration timeout)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                        .timeout(timeout)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL, and waits until the process is gone. */
    public synchronized void kill() throws InterruptedException {
        Signals.send("KILL", process.pid());
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL for 30 s");
        }
    }

    /** SIGKILLs this proxy and {@code server} with one kill(1), then reaps both. */
    public void killTogetherWith(final EmbeddedMariaDb server) throws InterruptedException {
        Signals.send("KILL", process.pid(), server.pid());
        server.kill(); // reaps the dead server and forgets it
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGKILL (a test's proxy has nothing to hand over), and waits until the process is gone. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @SuppressWarnings("deprecation") // Netty's test-grade generator, as the proxy itself uses without --tls-cert
    private static SelfSignedCertificate selfSigned() {
        try {
            return new SelfSignedCertificate("semisync-proxy");
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot generate a certificate: " + e.getMessage(), e);
        }
    }
}
