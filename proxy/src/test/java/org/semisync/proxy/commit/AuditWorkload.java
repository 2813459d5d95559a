package org.semisync.proxy.commit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.semisync.proxy.testing.ProxyProcess;

/**
 * Writers and readers through the proxy until the master dies under them, remembering what the audit checks: every
 * id whose commit returned OK, and every id a reader was shown. Ids come from one counter, so the newest rows have the
 * highest ids and each read ({@code ORDER BY id DESC LIMIT 10}) shows the rows committed last. Even writers insert
 * one row per autocommit statement, odd ones two rows per BEGIN … COMMIT; even clients use MariaDB Connector/J (GTID
 * tracking where the master reports GTIDs), odd ones MySQL Connector/J (position probes).
 */
final class AuditWorkload implements AutoCloseable {
    private final ProxyProcess proxy;
    private final String table;
    private final ExecutorService pool;
    private final List<Future<?>> clients = new ArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean dying = new AtomicBoolean();

    /** Ids whose commit returned OK. */
    final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
    /** Ids a reader was shown. */
    final Set<Integer> shown = ConcurrentHashMap.newKeySet();
    /** Result sets read to the end. */
    final AtomicLong reads = new AtomicLong();
    /** Client failures before the site was killed (none expected). */
    final List<SQLException> failures = new CopyOnWriteArrayList<>();

    private AuditWorkload(final ProxyProcess proxy, final String table, final int writers, final int readers) {
        this.proxy = proxy;
        this.table = table;
        this.pool = Executors.newFixedThreadPool(writers + readers);
    }

    /** Starts {@code writers} and {@code readers} on {@code table} (id INT PRIMARY KEY). */
    static AuditWorkload start(final ProxyProcess proxy, final String table, final int writers, final int readers) {
        final AuditWorkload w = new AuditWorkload(proxy, table, writers, readers);
        for (int i = 0; i < writers; i++) {
            final int writer = i;
            w.clients.add(w.pool.submit(() -> w.write(writer)));
        }
        for (int i = 0; i < readers; i++) {
            final int reader = i;
            w.clients.add(w.pool.submit(() -> w.read(reader)));
        }
        return w;
    }

    private Connection connect(final int client) throws SQLException {
        // long socket timeout: a response held for an ACK must not look like a dead server
        return client % 2 == 0
                ? DriverManager.getConnection(proxy.mariadbUrl("", "socketTimeout=120000"), "app", "app_pass")
                : DriverManager.getConnection(proxy.mysqlUrl("", "socketTimeout=120000"), "app", "app_pass");
    }

    private Void write(final int writer) {
        try (Connection c = connect(writer);
                Statement s = c.createStatement()) {
            while (running.get()) {
                if (writer % 2 == 0) {
                    final int id = nextId.incrementAndGet();
                    s.executeUpdate("INSERT INTO " + table + " VALUES (" + id + ")");
                    acknowledged.add(id);
                } else {
                    final int a = nextId.incrementAndGet();
                    final int b = nextId.incrementAndGet();
                    s.execute("BEGIN");
                    s.executeUpdate("INSERT INTO " + table + " VALUES (" + a + ")");
                    s.executeUpdate("INSERT INTO " + table + " VALUES (" + b + ")");
                    s.execute("COMMIT");
                    acknowledged.add(a);
                    acknowledged.add(b);
                }
            }
        } catch (SQLException e) {
            // the master died under this writer: its last commit got no OK, so it is not counted
            stillRunning(e);
        }
        return null;
    }

    private Void read(final int reader) {
        try (Connection c = connect(reader);
                Statement s = c.createStatement()) {
            while (running.get()) {
                try (ResultSet rs = s.executeQuery("SELECT id FROM " + table + " ORDER BY id DESC LIMIT 10")) {
                    while (rs.next()) {
                        shown.add(rs.getInt(1)); // as soon as it is seen, even if the connection dies after it
                    }
                }
                reads.incrementAndGet();
            }
        } catch (SQLException e) {
            stillRunning(e);
        }
        return null;
    }

    /** A client failed: expected only once the site is being killed. */
    private void stillRunning(final SQLException e) {
        if (!dying.get()) {
            failures.add(e);
        }
    }

    /** The site is about to be killed: client failures from now on are expected. */
    void siteDying() {
        dying.set(true);
    }

    /** The site was killed: clients end with their next (failing) statement; waits for all of them. */
    void killed() throws Exception {
        running.set(false);
        for (Future<?> f : clients) {
            f.get(150, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        running.set(false);
        pool.shutdownNow();
    }
}
