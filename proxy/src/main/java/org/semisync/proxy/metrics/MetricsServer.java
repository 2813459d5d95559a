package org.semisync.proxy.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.health.HealthEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /metrics} in the Prometheus text format, and {@code /health} and {@code /ready} when given
 * {@link HealthEndpoints}. Runs on its own single daemon thread: a slow scraper or a readiness check that waits for
 * the master never touches an event loop.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(final HttpServer server, final ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts the endpoint.
     *
     * @throws IOException when the address cannot be bound (e.g. the port is in use)
     */
    public static MetricsServer start(final HostPort address, final PrometheusMeterRegistry registry)
            throws IOException {
        return start(address, registry::scrape, null);
    }

    /**
     * Binds and starts the endpoint.
     *
     * @param scrape produces the Prometheus text (called on the metrics thread for every scrape)
     * @param health serves /health and /ready; null for /metrics only
     * @throws IOException when the address cannot be bound (e.g. the port is in use)
     */
    public static MetricsServer start(
            final HostPort address, final Supplier<String> scrape, final HealthEndpoints health) throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress(address.host(), address.port()), 16);
        final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "semisync-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> scrape(exchange, scrape));
        if (health != null) {
            server.createContext("/health", health::health);
            server.createContext("/ready", health::ready);
        }
        server.createContext("/", MetricsServer::notFound);
        server.start();
        LOG.info(
                "metrics - serving Prometheus metrics on http://{}/metrics{}",
                address(server),
                health == null ? "" : ", /health and /ready");
        return new MetricsServer(server, executor);
    }

    /** The bound address (useful with port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static String address(final HttpServer server) {
        return server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    private static void scrape(final HttpExchange exchange, final Supplier<String> scrape) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            final byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void notFound(final HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.sendResponseHeaders(404, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
