package org.semisync.proxy.failover;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.semisync.proxy.demo.EmbeddedMariaDb;

/**
 * JDBC writers (MariaDB Connector/J) inserting numbered rows through the balancer. Every id whose commit returned OK
 * is remembered; after any error a writer reconnects (its failed id is not counted: it may or may not have
 * committed). For the downtime after a kill they note when the first commit sent after it returned OK.
 */
final class Writers implements AutoCloseable {
    private final String url;
    private final String table;
    private final Set<Integer> acked = ConcurrentHashMap.newKeySet();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>("none");
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService threads;
    private final List<Future<?>> futures = new ArrayList<>();
    private long watchFrom = Long.MAX_VALUE;
    private long firstOkAfterWatch = Long.MAX_VALUE;

    private Writers(final String url, final String table, final int count) {
        this.url = url;
        this.table = table;
        this.threads = Executors.newFixedThreadPool(count);
    }

    static Writers start(final String url, final String table, final int count) {
        final Writers writers = new Writers(url, table, count);
        for (int c = 0; c < count; c++) {
            final int client = c;
            writers.futures.add(writers.threads.submit(() -> writers.write(client)));
        }
        return writers;
    }

    private Void write(final int client) throws InterruptedException {
        int n = 0;
        while (running.get()) {
            try (Connection c =
                            DriverManager.getConnection(url, EmbeddedMariaDb.APP_USER, EmbeddedMariaDb.APP_PASSWORD);
                    Statement s = c.createStatement()) {
                while (running.get()) {
                    final int id = client * 1_000_000 + n++;
                    final long sent = System.nanoTime();
                    s.executeUpdate("INSERT INTO " + table + " VALUES (" + id + ", " + client + ")");
                    acked.add(id); // the commit returned OK
                    committed(sent, System.nanoTime());
                }
            } catch (SQLException e) {
                // the proxy died under this writer or the balancer has no proxy yet: reconnect, as an application
                // would; the statement that failed has no OK, so its id is not counted
                errors.incrementAndGet();
                lastError.set(e.getMessage());
                Thread.sleep(10);
            }
        }
        return null;
    }

    private synchronized void committed(final long sent, final long ok) {
        if (sent >= watchFrom && ok < firstOkAfterWatch) {
            firstOkAfterWatch = ok;
        }
    }

    /** From now on, watch for the first commit sent after this instant. */
    synchronized void watchFromNow() {
        firstOkAfterWatch = Long.MAX_VALUE;
        watchFrom = System.nanoTime();
    }

    /**
     * How long after {@code from} (System.nanoTime(), at or before {@link #watchFromNow()}) the first commit sent
     * after {@link #watchFromNow()} returned OK.
     */
    Duration awaitFirstCommitAfter(final long from, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (firstOkAfterWatch != Long.MAX_VALUE) {
                    return Duration.ofNanos(firstOkAfterWatch - from);
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError(
                "no commit returned OK within " + timeout + "; errors " + errors + ", last: " + lastError.get());
    }

    /** Waits until {@code commits} more commits have returned OK. */
    void awaitProgress(final int commits, final Duration timeout) throws InterruptedException {
        final int target = acked.size() + commits;
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (acked.size() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + commits + " commits in " + timeout + "; errors " + errors
                        + ", last: " + lastError.get());
            }
            Thread.sleep(10);
        }
    }

    Set<Integer> acknowledged() {
        return Set.copyOf(acked);
    }

    long errors() {
        return errors.get();
    }

    /** Stops the writers and waits for them; a writer that failed otherwise than with SQLException fails here. */
    @Override
    public void close() throws Exception {
        running.set(false);
        try {
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
