package org.semisync.proxy.commit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.semisync.ack.BinlogPosition;
import org.semisync.proxy.config.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's own connections to the master (HikariCP, replication user), used off the event loops: reading the
 * binlog position for probe mode, detecting the master's commit-detection mode, and privilege checks. Every call
 * runs on the pool's own executor and returns a future.
 */
public final class ControlPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPool.class);

    private final HikariDataSource dataSource;
    private final ExecutorService executor;

    public ControlPool(final HostPort master, final String user, final String password, final int size) {
        final HikariConfig config = new HikariConfig();
        config.setPoolName("semisync-control");
        config.setJdbcUrl("jdbc:mariadb://" + master.host() + ":" + master.port() + "/");
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setAutoCommit(true);
        // fail at first use, not at construction, so a proxy can start before its master
        config.setInitializationFailTimeout(-1);
        this.dataSource = new HikariDataSource(config);
        this.executor = Executors.newFixedThreadPool(size, r -> {
            final Thread t = new Thread(r, "semisync-control");
            t.setDaemon(true);
            return t;
        });
        LOG.info("control-pool - {} connections to {} as {}", size, master, user);
    }

    /** The master's current binlog end (SHOW MASTER STATUS), read on the pool's executor. */
    public CompletableFuture<BinlogPosition> masterPosition() {
        return CompletableFuture.supplyAsync(this::readMasterPosition, executor);
    }

    /** Detects how commits can be seen on this master. */
    public CompletableFuture<DetectionMode> detectMode() {
        return CompletableFuture.supplyAsync(this::readMode, executor);
    }

    private BinlogPosition readMasterPosition() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            if (!rs.next()) {
                throw new IllegalStateException("SHOW MASTER STATUS returned no row: is log_bin on on the master?");
            }
            return new BinlogPosition(rs.getString(1), rs.getLong(2));
        } catch (SQLException e) {
            throw new CompletionException("ControlPool: SHOW MASTER STATUS failed", e);
        }
    }

    private DetectionMode readMode() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW VARIABLES LIKE 'session\\_track\\_%'")) {
            boolean systemVariables = false;
            boolean gtids = false;
            while (rs.next()) {
                final String name = rs.getString(1);
                systemVariables |= name.equalsIgnoreCase("session_track_system_variables");
                gtids |= name.equalsIgnoreCase("session_track_gtids");
            }
            final DetectionMode mode =
                    DetectionMode.from(c.getMetaData().getDatabaseProductVersion(), systemVariables, gtids);
            LOG.info(
                    "control-pool - master {} → commit detection {}",
                    c.getMetaData().getDatabaseProductVersion(),
                    mode);
            return mode;
        } catch (SQLException e) {
            throw new CompletionException("ControlPool: detecting session tracking failed", e);
        }
    }

    @Override
    public void close() {
        // a probe blocked on a dead master must not hold the shutdown up: interrupt it
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("control-pool - control threads did not stop within 2 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dataSource.close();
    }
}
