package org.semisync.proxy.health;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /health} (liveness: 200 while serving, 503 once shutting down) and {@code GET /ready} (readiness: 200
 * when {@link Readiness} says ready, else 503; JSON body either way). HEAD answers the status without a body.
 */
public final class HealthEndpoints {
    private static final String JSON = "application/json";

    private final ServingState serving;
    private final Readiness readiness;

    public HealthEndpoints(final ServingState serving, final Readiness readiness) {
        this.serving = serving;
        this.readiness = readiness;
    }

    /** Handles {@code /health}. */
    public void health(final HttpExchange exchange) throws IOException {
        if (!allowed(exchange)) {
            return;
        }
        final boolean up = serving.serving();
        respond(exchange, up ? 200 : 503, "{\"status\":\"" + (up ? "serving" : "shutting-down") + "\"}");
    }

    /** Handles {@code /ready}. */
    public void ready(final HttpExchange exchange) throws IOException {
        if (!allowed(exchange)) {
            return;
        }
        final ReadyReport report = readiness.check();
        respond(exchange, report.ready() ? 200 : 503, report.json());
    }

    private static boolean allowed(final HttpExchange exchange) throws IOException {
        final String method = exchange.getRequestMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return true;
        }
        try (exchange) {
            exchange.sendResponseHeaders(405, -1);
        }
        return false;
    }

    private static void respond(final HttpExchange exchange, final int code, final String body) throws IOException {
        try (exchange) {
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Content-Type", JSON);
                exchange.sendResponseHeaders(code, -1);
                return;
            }
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", JSON);
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
