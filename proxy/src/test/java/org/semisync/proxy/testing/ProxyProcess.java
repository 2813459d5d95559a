package org.semisync.proxy.testing;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's fat jar ({@link ProxyJar}) as a process of its own, so that it can be SIGKILLed for real. Its stdout and
 * stderr go to files under {@code target/} (a pipe nobody drains could block it); the metrics listener is on.
 */
public final class ProxyProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyProcess.class);
    private static final Pattern READY = Pattern.compile("ready: listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern DETECTION = Pattern.compile("commit detection: (.*)");
    /** One self-signed certificate for every proxy this JVM starts. */
    private static final SelfSignedCertificate CERTIFICATE = selfSigned();

    private final Process process;
    private final Path stdout;
    private final int port;
    private final int metricsPort;

    private ProxyProcess(final Process process, final Path stdout, final int port, final int metricsPort) {
        this.process = process;
        this.stdout = stdout;
        this.port = port;
        this.metricsPort = metricsPort;
    }

    /**
     * Starts {@code run} in front of {@code master} with {@code options}; returns once it accepts clients. A proxy
     * that exits during start-up is started again, twice at most: on a loaded machine its first connection to a
     * master that has just started can take longer than the control pool's 5 s (seen at a load average of 22).
     */
    public static ProxyProcess start(final EmbeddedMariaDb master, final String logName, final String... options)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(master, logName, options);
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

    private static ProxyProcess startOnce(final EmbeddedMariaDb master, final String logName, final String... options)
            throws IOException, InterruptedException {
        final int metricsPort = freePort();
        final List<String> all = new ArrayList<>(List.of(options));
        all.addAll(List.of("--metrics", "127.0.0.1:" + metricsPort));
        if (!all.contains("--tls-cert")) {
            // without one the proxy generates an RSA key at every start: 1.5 s at a load average of 9
            all.addAll(List.of(
                    "--tls-cert",
                    CERTIFICATE.certificate().getPath(),
                    "--tls-key",
                    CERTIFICATE.privateKey().getPath()));
        }
        final Path dir = Files.createDirectories(Path.of("target", "proxy-logs"));
        final Path out = dir.resolve(logName + ".out");
        final Path err = dir.resolve(logName + ".log");
        final Process p = ProxyJar.run(master, all.toArray(String[]::new))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            final Matcher ready = awaitLine(p, out, READY, err);
            return new ProxyProcess(p, out, Integer.parseInt(ready.group(1)), metricsPort);
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private static Matcher awaitLine(final Process p, final Path out, final Pattern line, final Path err)
            throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            for (String l : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                final Matcher m = line.matcher(l);
                if (m.matches()) {
                    return m;
                }
            }
            if (!p.isAlive()) {
                throw new IllegalStateException(
                        "the proxy exited with " + p.exitValue() + ": " + Files.readString(err));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no line " + line + " from the proxy in 90 s: " + Files.readString(err));
    }

    @SuppressWarnings("deprecation") // Netty's test-grade generator, as the proxy itself uses without --tls-cert
    private static SelfSignedCertificate selfSigned() {
        try {
            return new SelfSignedCertificate("semisync-proxy");
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot generate a certificate: " + e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** What the proxy printed as its way of finding commits ({@code commit detection: …}), or null. */
    public String commitDetection() throws IOException {
        for (String l : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
            final Matcher m = DETECTION.matcher(l);
            if (m.matches()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** A MariaDB Connector/J URL through the proxy. */
    public String mariadbUrl(final String database, final String options) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database + (options.isEmpty() ? "" : "?" + options);
    }

    /** A MySQL Connector/J URL through the proxy. */
    public String mysqlUrl(final String database, final String options) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database + "?sslMode=DISABLED"
                + (options.isEmpty() ? "" : "&" + options);
    }

    /** {@code SHOW GLOBAL STATUS LIKE name} through the proxy, as the application account. */
    public String status(final String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(mariadbUrl("", ""), "app", "app_pass");
                ResultSet rs = c.createStatement().executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    /** Waits up to 30 s until status {@code name} satisfies {@code condition}. */
    public void awaitStatus(final String name, final Predicate<String> condition) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String seen = status(name);
        while (!condition.test(seen) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = status(name);
        }
        if (!condition.test(seen)) {
            throw new AssertionError(name + " stayed " + seen);
        }
    }

    /** The value of one Prometheus sample without labels ({@code semisync_reads_held_total}). */
    public double metric(final String name) throws IOException, InterruptedException {
        final HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        for (String l : r.body().split("\n")) {
            if (l.startsWith(name + " ")) {
                return Double.parseDouble(l.substring(name.length() + 1).trim());
            }
        }
        throw new IllegalStateException("no sample " + name + " in /metrics");
    }

    /** SIGKILLs this proxy and {@code master} with one kill(1), then reaps both. */
    public void killTogetherWith(final EmbeddedMariaDb master) throws InterruptedException {
        Signals.send("KILL", process.pid(), master.pid());
        master.kill(); // reaps the dead server and forgets it
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
