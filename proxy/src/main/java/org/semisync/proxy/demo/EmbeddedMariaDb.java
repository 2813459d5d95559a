package org.semisync.proxy.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real {@code mariadbd}/{@code mysqld} process from a {@link MariaDbDistribution}: its own data directory,
 * listening on 127.0.0.1 only, binary log on ({@code mysql-bin}, ROW format). Accounts created at first start
 * (without binary logging, so replicas never replay them): {@code root} (no password, also over TCP),
 * {@code repl}/{@code repl_pass} (REPLICATION SLAVE, REPLICATION CLIENT), {@code app}/{@code app_pass} (ALL on
 * *.*), and database {@code app}. Processes are stopped by {@link #close()}, by a JVM shutdown hook, and — after a
 * JVM crash — by {@link OrphanReaper} at the next start.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDb.class);

    public static final String ROOT_USER = "root";
    public static final String REPL_USER = "repl";
    public static final String REPL_PASSWORD = "repl_pass";
    public static final String APP_USER = "app";
    public static final String APP_PASSWORD = "app_pass";
    public static final String APP_DATABASE = "app";

    private final String name;
    private final MariaDbDistribution distribution;
    private final int serverId;
    private final int port;
    private final Path baseDir;
    private final Path dataDir;
    private final Path errorLog;
    private final Thread shutdownHook;
    private Process process;
    private boolean initialised;
    /** Installs and initialises its own data directory instead of copying the version's template. */
    private final boolean fromScratch;

    private final ServerLaunch launch;

    EmbeddedMariaDb(final EmbeddedMariaDbBuilder b) throws IOException {
        this.name = b.name;
        this.distribution = MariaDbDistribution.obtain(b.version, b.progress);
        this.serverId = b.serverId;
        this.port = b.port > 0 ? b.port : LocalPorts.free();
        this.baseDir = Files.createTempDirectory("semisync-" + b.name + "-");
        this.dataDir = baseDir.resolve("data");
        this.errorLog = baseDir.resolve("error.log");
        this.shutdownHook = new Thread(this::destroyQuietly, "semisync-stop-" + name);
        this.fromScratch = b.fromScratch;
        this.launch = new ServerLaunch(distribution, baseDir, port, serverId, new LinkedHashMap<>(b.options), b.tls);
    }

    public static EmbeddedMariaDbBuilder builder(final MariaDbVersion version) {
        return new EmbeddedMariaDbBuilder(version);
    }

    /**
     * Prepares the data directory (first time only: a copy of the version's template, see {@link DataDirTemplates}) and
     * starts the server; returns once it accepts connections.
     */
    public synchronized EmbeddedMariaDb start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            OrphanReaper.reapOrphans();
            if (!initialised && fromScratch) {
                launch.install();
            } else if (!initialised) {
                DataDirTemplates.copyInto(distribution.version(), dataDir);
                initialised = true; // users, grants and the app database come with the copy
            }
            final ProcessBuilder pb = launch.server(!initialised);
            final long started = System.nanoTime();
            process = pb.start();
            OrphanReaper.register(process.pid(), dataDir);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            awaitReady();
            initialised = true;
            LOG.info(
                    "{} - {} ready on 127.0.0.1:{} (server_id {}, pid {}) in {} ms",
                    name,
                    distribution.version(),
                    port,
                    serverId,
                    process.pid(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    name + ": cannot start " + distribution.version() + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady() throws IOException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                // a server that fails before opening its error log says why on its standard output
                throw new IOException("server exited with " + process.exitValue() + ": " + tail(errorLog) + "\n"
                        + tail(baseDir.resolve("stdout.log")));
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl("") + "?connectTimeout=1000", ROOT_USER, "")) {
                c.createStatement().execute("SELECT 1");
                return;
            } catch (SQLException e) {
                sleep(100);
            }
        }
        throw new IOException("server not ready after 120 s: " + tail(errorLog));
    }

    /** Stops the server gracefully (SIGTERM), or kills it after 60 s. The data directory stays for a restart. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                LOG.warn("{} - did not stop within 60 s, killing it", name);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        afterExit();
    }

    /** Kills the server with SIGKILL, as a crash would. The data directory stays for a restart. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        afterExit();
    }

    private void afterExit() {
        OrphanReaper.unregister(process.pid());
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run; nothing to remove
        }
        process = null;
    }

    /** Stop (if running), then start again on the same port with the same data. */
    public EmbeddedMariaDb restart() {
        stop();
        return start();
    }

    /** Whether the server process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The process id, for signals (e.g. SIGSTOP in tests). */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return process.pid();
    }

    @Override
    public void close() {
        stop();
        try {
            MariaDbDistribution.deleteRecursively(baseDir);
        } catch (IOException e) {
            LOG.warn("{} - could not delete {}: {}", name, baseDir, e.toString());
        }
    }

    private void destroyQuietly() {
        final Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    public String name() {
        return name;
    }

    public MariaDbVersion version() {
        return distribution.version();
    }

    public int port() {
        return port;
    }

    public int serverId() {
        return serverId;
    }

    public Path baseDir() {
        return baseDir;
    }

    /** A MariaDB Connector/J URL for {@code database} (may be empty). */
    public String jdbcUrl(final String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    /** A root connection (no database selected). */
    public Connection rootConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(""), ROOT_USER, "");
    }

    /** Runs statements as root. */
    public void execute(final String... sql) {
        try (Connection c = rootConnection();
                Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row, as a string ({@code null} when there is no row). */
    public String queryString(final String sql) {
        return queryRow(sql).get(1);
    }

    /** The first row as column label → value (an empty map when there is no row); labels are 1-based indexes too. */
    public Map<Object, String> queryRow(final String sql) {
        try (Connection c = rootConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            final Map<Object, String> row = new LinkedHashMap<>();
            if (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(i, rs.getString(i));
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                }
            }
            return row;
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    /** {@code CHECKSUM TABLE} of one table. */
    public long checksum(final String table) {
        return Long.parseLong(queryRow("CHECKSUM TABLE " + table).get(2));
    }

    /** The master's own binlog coordinates as {@code file:position}. */
    public String masterStatus() {
        final Map<Object, String> row = queryRow("SHOW MASTER STATUS");
        return row.get(1) + ":" + row.get(2);
    }

    static String tail(final Path file) {
        try {
            final List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
