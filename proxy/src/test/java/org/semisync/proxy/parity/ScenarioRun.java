package org.semisync.proxy.parity;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.Replicas;
import org.semisync.proxy.testing.Signals;

/**
 * The scenario DSL: one run of a scenario against one {@link ParityEndpoint}. Every step that observes something
 * records it under a name in {@link #observations()}; the suite compares the two sides' records. Durations are
 * recorded as classes relative to the baseline timeout, never as numbers.
 */
final class ScenarioRun implements AutoCloseable {
    /**
     * Counters whose deltas are compared exactly. {@code request_ack} counts binlogged transactions while the status
     * is ON (the plugin increments it in {@code write_tranx_in_binlog}), so it is deterministic too. Not compared:
     * {@code tx_waits} (the plugin counts a wait only if the ACK had not arrived before the committing thread
     * started waiting: a race between the replica and the client thread) and the time counters.
     */
    static final List<String> EXACT_DELTAS =
            List.of("yes_tx", "no_tx", "no_times", "request_ack", "wait_pos_backtraverse", "timefunc_failures");

    /**
     * Counters compared as "changed or not": how many ACKs were received and how many events were sent with the
     * sync flag depend on which of the two replicas answered first (the plugin asks a replica only for events past
     * the best reply so far), natively too.
     */
    static final List<String> CHANGED_DELTAS = List.of("get_ack", "net_waits");

    private static final String STATUS_PREFIX = "rpl_semi_sync_master_";

    private final ParityEndpoint endpoint;
    private final long timeoutMillis;
    private final Observations observations = new Observations();
    private final List<Connection> connections = new ArrayList<>();
    private final List<CompletableFuture<?>> pending = new ArrayList<>();
    private Connection client;
    private Connection admin;

    ScenarioRun(final ParityEndpoint endpoint, final long timeoutMillis) {
        this.endpoint = endpoint;
        this.timeoutMillis = timeoutMillis;
    }

    ParityEndpoint endpoint() {
        return endpoint;
    }

    Observations observations() {
        return observations;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    EmbeddedMariaDb replica(final int oneBased) {
        return endpoint.replicas().get(oneBased - 1);
    }

    // ---------------------------------------------------------------- connections

    /** The scenario's client connection (MariaDB Connector/J, database app), opened on first use. */
    Connection client() throws SQLException {
        if (client == null) {
            client = track(endpoint.mariadb());
        }
        return client;
    }

    /** A second connection for SHOW/SET and polling, so the client connection stays the client's. */
    Connection admin() throws SQLException {
        if (admin == null) {
            admin = track(endpoint.mariadb());
        }
        return admin;
    }

    /** A new MariaDB Connector/J connection to the endpoint, closed with the run. */
    Connection newMariadb() throws SQLException {
        return track(endpoint.mariadb());
    }

    /** A new MariaDB Connector/J connection to the endpoint as {@code user}, closed with the run. */
    Connection newMariadb(final String user, final String password) throws SQLException {
        return track(endpoint.mariadb(user, password));
    }

    /** A new MySQL Connector/J connection to the endpoint (no session tracking), closed with the run. */
    Connection newMysql() throws SQLException {
        return track(endpoint.mysql());
    }

    private Connection track(final Connection c) {
        connections.add(c);
        return c;
    }

    // ---------------------------------------------------------------- statements

    /** Runs {@code sql} on the admin connection without recording anything; fails the run on error. */
    void exec(final String sql) throws SQLException {
        try (Statement s = admin().createStatement()) {
            s.execute(sql);
        }
    }

    /** Runs {@code sql} on the client connection and records its duration class and outcome. */
    void timed(final String name, final String sql) throws SQLException {
        timed(name, client(), sql);
    }

    /** Runs {@code sql} on {@code c} and records its duration class and outcome. */
    void timed(final String name, final Connection c, final String sql) {
        final Outcome o = run(c, sql);
        observations.put(name, durationClass(o.millis) + " " + o.result);
        observations.note(name, o.millis + " ms");
    }

    /** As {@link #timed(String, Connection, String)}, then records the counter deltas of that statement alone. */
    void timedWithDeltas(final String name, final Connection c, final String sql) throws SQLException {
        final Map<String, String> before = counters();
        timed(name, c, sql);
        deltas(name + " -> deltas", before);
    }

    /** Runs {@code sql} on {@code c} and records its outcome only (OK / ERR code). */
    void outcome(final String name, final Connection c, final String sql) {
        observations.put(name, run(c, sql).result);
    }

    /**
     * Runs {@code sql} on replica {@code oneBased} (as root, directly) and records its outcome and whether it was held
     * for the timeout: {@code NOT HELD} (under 0.8 × timeout), {@code HELD}, {@code LONG}. Coarser than
     * {@link #durationClass}: a semi-sync replica's STOP SLAVE opens a connection to its master to kill its dump
     * thread, which took 0.2–1.1 s natively on the loaded 2-core machine, so only "held for a timeout or not" is a
     * property of the master side.
     */
    void timedOnReplica(final String name, final int oneBased, final String sql) throws SQLException {
        try (Connection c = replica(oneBased).rootConnection()) {
            final Outcome o = run(c, sql);
            final String cls = o.millis < timeoutMillis * 8 / 10 ? "NOT HELD" : durationClass(o.millis);
            observations.put(name, cls + " " + o.result);
            observations.note(name, o.millis + " ms");
        }
    }

    /** Runs statements on replica {@code oneBased} (as root, directly) without recording. */
    void onReplica(final int oneBased, final String... sql) {
        replica(oneBased).execute(sql);
    }

    /** A statement running on its own new connection, in the background (a commit that will wait). */
    Pending start(final String sql) throws SQLException {
        final Connection c = newMariadb();
        final long started = System.nanoTime();
        final CompletableFuture<Outcome> f = CompletableFuture.supplyAsync(() -> run(c, sql));
        pending.add(f);
        return new Pending(f, started);
    }

    /** A background statement's eventual outcome. */
    final class Pending {
        private final CompletableFuture<Outcome> future;
        private final long startedNanos;

        private Pending(final CompletableFuture<Outcome> future, final long startedNanos) {
            this.future = future;
            this.startedNanos = startedNanos;
        }

        /** Whether it has returned (OK or error) by now. */
        boolean done() {
            return future.isDone();
        }

        /** Waits for it and records its duration class (from its start) and outcome. */
        void record(final String name) {
            final Outcome o = await();
            observations.put(name, o == null ? "NOT RETURNED" : durationClass(o.millis) + " " + o.result);
            note(name, o);
        }

        /**
         * Waits for it and records its duration class and, for an error, only the SQLSTATE class (e.g. {@code 08},
         * connection exception): what a client can tell apart when its server went away.
         */
        void recordErrorClass(final String name) {
            final Outcome o = await();
            if (o == null) {
                observations.put(name, "NOT RETURNED");
                return;
            }
            final String r = o.result.startsWith("ERR") ? "ERR SQLSTATE class " + o.stateClass : o.result;
            observations.put(name, durationClass(o.millis) + " " + r);
            note(name, o);
        }

        /** Waits for it and records the class of the time from {@code sinceNanos} (e.g. a SET) to its return. */
        void recordSince(final String name, final long sinceNanos) {
            final Outcome o = await();
            observations.put(
                    name,
                    o == null
                            ? "NOT RETURNED"
                            : durationClass(TimeUnit.NANOSECONDS.toMillis(startedNanos + o.nanos - sinceNanos)) + " "
                                    + o.result);
            if (o != null) {
                observations.note(
                        name,
                        TimeUnit.NANOSECONDS.toMillis(startedNanos + o.nanos - sinceNanos) + " ms since; " + o.result);
            }
        }

        /** Records whether it returned before {@code 0.8 × timeout} after its start: {@code yes}/{@code no}. */
        void recordReleasedBeforeTimeout(final String name) {
            final Outcome o = await();
            observations.put(
                    name,
                    o == null
                            ? "NOT RETURNED"
                            : (o.millis < timeoutMillis * 8 / 10 ? "released before the timeout" : "not before it")
                                    + " " + o.result);
            note(name, o);
        }

        private void note(final String name, final Outcome o) {
            if (o != null) {
                observations.note(name, o.millis + " ms; " + o.result);
            }
        }

        private Outcome await() {
            try {
                return future.get(3 * timeoutMillis + 20_000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** Duration and result of one statement: {@code OK}, {@code OK rows=n}, {@code OK count=n} or {@code ERR n}. */
    record Outcome(long nanos, long millis, String result, String stateClass) {}

    static Outcome run(final Connection c, final String sql) {
        final long t0 = System.nanoTime();
        String result;
        String stateClass = "";
        try (Statement s = c.createStatement()) {
            if (s.execute(sql)) {
                int n = 0;
                try (ResultSet rs = s.getResultSet()) {
                    while (rs.next()) {
                        n++;
                    }
                }
                result = "OK rows=" + n;
            } else {
                result = "OK count=" + s.getUpdateCount();
            }
        } catch (SQLException e) {
            result = "ERR " + e.getErrorCode() + " (" + sqlStateClass(e) + ")";
            stateClass = e.getSQLState() == null || e.getSQLState().length() < 2
                    ? "none"
                    : e.getSQLState().substring(0, 2);
        }
        final long nanos = System.nanoTime() - t0;
        return new Outcome(nanos, TimeUnit.NANOSECONDS.toMillis(nanos), result, stateClass);
    }

    private static String sqlStateClass(final SQLException e) {
        final String state = e.getSQLState();
        return state == null ? "no SQLSTATE" : "SQLSTATE " + state;
    }

    /**
     * PROMPT below 0.5 × timeout (well under it), EARLY up to 0.8 ×, HELD up to 1.6 × (about the timeout), LONG
     * beyond (waited more than one timeout). The milliseconds go to the report as notes.
     */
    String durationClass(final long millis) {
        if (millis < timeoutMillis / 2) {
            return "PROMPT";
        }
        if (millis < timeoutMillis * 8 / 10) {
            return "EARLY";
        }
        if (millis <= timeoutMillis * 16 / 10) {
            return "HELD";
        }
        return "LONG";
    }

    // ---------------------------------------------------------------- status and counters

    /** {@code SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_%'} on the endpoint: short name → value, extras dropped. */
    Map<String, String> counters() throws SQLException {
        final Map<String, String> out = new LinkedHashMap<>();
        try (Statement s = admin().createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_%'")) {
            while (rs.next()) {
                final String name = rs.getString(1).toLowerCase(Locale.ROOT);
                if (!isExtra(name) && name.startsWith(STATUS_PREFIX)) {
                    out.put(name.substring(STATUS_PREFIX.length()), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** Records {@code Rpl_semi_sync_master_status} now. */
    void status(final String name) throws SQLException {
        observations.put(name, String.valueOf(counters().get("status")));
    }

    /** Records {@code clients=… status=… wait_sessions=…} now. */
    void state(final String name) throws SQLException {
        final Map<String, String> c = counters();
        observations.put(
                name,
                "clients=" + c.get("clients") + " status=" + c.get("status") + " wait_sessions="
                        + c.get("wait_sessions"));
    }

    /** Records the comparable counter deltas since {@code before}. */
    void deltas(final String name, final Map<String, String> before) throws SQLException {
        Map<String, String> after = counters();
        // The plugin counts net_waits after its flush of the event that asks for the ACK returns, which can be after
        // the ACK came back and the client read its OK: an ACK received implies that count, so wait for it briefly
        for (int i = 0; i < 10 && delta(before, after, "get_ack") > 0 && delta(before, after, "net_waits") == 0; i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            after = counters();
        }
        final StringBuilder b = new StringBuilder();
        for (String k : EXACT_DELTAS) {
            b.append(k).append(' ').append(signed(delta(before, after, k))).append(", ");
        }
        for (String k : CHANGED_DELTAS) {
            b.append(k)
                    .append(delta(before, after, k) == 0 ? " unchanged" : " increased")
                    .append(", ");
        }
        observations.put(name, b.substring(0, b.length() - 2));
    }

    /**
     * The ACKs asked for since {@code before} ({@code net_waits}), told apart only as at most two per replica or more:
     * a replica catching up on transactions that nothing waits for is asked for the newest one (OFF) or for none (ON),
     * not for each.
     */
    void ackRequestsSince(final String name, final Map<String, String> before, final int replicas) throws SQLException {
        final long requests = delta(before, counters(), "net_waits");
        observations.put(name, requests <= 2L * replicas ? "at most two per replica" : "more than two per replica");
    }

    private static long delta(final Map<String, String> before, final Map<String, String> after, final String k) {
        return parse(after.get(k)) - parse(before.get(k));
    }

    private static long parse(final String v) {
        try {
            return v == null ? 0 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String signed(final long n) {
        return n >= 0 ? "+" + n : Long.toString(n);
    }

    /**
     * Waits up to {@code maxMillis} until counter {@code shortName} (e.g. {@code clients}) has {@code expected}, then
     * records its value (the expected one, or whatever it was when the wait ended).
     */
    void await(final String name, final String shortName, final String expected, final long maxMillis)
            throws SQLException, InterruptedException {
        observations.put(name, awaitValue(shortName, expected, maxMillis));
    }

    /** As {@link #await} without recording; returns the last value seen. */
    String awaitValue(final String shortName, final String expected, final long maxMillis)
            throws SQLException, InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        String v = counters().get(shortName);
        while (!expected.equals(v) && System.nanoTime() < deadline) {
            Thread.sleep(25);
            v = counters().get(shortName);
        }
        return String.valueOf(v);
    }

    // ---------------------------------------------------------------- result rows

    /** Records the rows of {@code sql} on the client connection (extras dropped), one per line. */
    void rows(final String name, final String sql) throws SQLException {
        rows(name, sql, UnaryOperator.identity());
    }

    /**
     * Records the rows of {@code sql} on the client connection: the endpoint's documented extras are dropped (a row
     * whose first column names one), then {@code normalise} (the scenario's, for values that legitimately differ)
     * maps each row; an error is recorded as {@code ERR code}.
     */
    void rows(final String name, final String sql, final UnaryOperator<List<String>> normalise) throws SQLException {
        observations.put(name, rowsOf(client(), sql, normalise, false));
    }

    /** As {@link #rows(String, String, UnaryOperator)}, the rows sorted (for statements with no defined order). */
    void sortedRows(final String name, final String sql, final UnaryOperator<List<String>> normalise)
            throws SQLException {
        observations.put(name, rowsOf(client(), sql, normalise, true));
    }

    String rowsOf(
            final Connection c, final String sql, final UnaryOperator<List<String>> normalise, final boolean sorted) {
        final StringBuilder b = new StringBuilder();
        final List<String> lines = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            final ResultSetMetaData md = rs.getMetaData();
            final List<String> labels = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                labels.add(md.getColumnLabel(i));
            }
            b.append(String.join(" | ", labels));
            while (rs.next()) {
                final List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                if (row.get(0) != null && isExtra(row.get(0))) {
                    continue;
                }
                lines.add(String.join(" | ", normalise.apply(row)));
            }
        } catch (SQLException e) {
            return "ERR " + e.getErrorCode() + " (" + sqlStateClass(e) + ")";
        }
        if (sorted) {
            lines.sort(null);
        }
        lines.forEach(l -> b.append('\n').append(l));
        return b.toString();
    }

    private boolean isExtra(final String name) {
        final String n = name.toLowerCase(Locale.ROOT);
        return endpoint.extraNames().stream().anyMatch(x -> x.equalsIgnoreCase(n));
    }

    // ---------------------------------------------------------------- replicas

    /** SIGSTOP of replica {@code oneBased}: it stops reading and replying but keeps its connections. */
    void sigstop(final int oneBased) {
        Signals.stop(replica(oneBased));
    }

    void sigcont(final int oneBased) {
        Signals.cont(replica(oneBased));
    }

    /**
     * Waits until replica {@code oneBased} has applied everything the master binlogged, and records {@code caught up}
     * or what it reached.
     */
    void caughtUp(final String name, final int oneBased) {
        try {
            Replicas.awaitCaughtUp(replica(oneBased), endpoint.master(), Duration.ofSeconds(20));
            observations.put(name, "caught up");
        } catch (IllegalStateException e) {
            observations.put(name, "not caught up");
        }
    }

    /** Records replica {@code oneBased}'s own {@code Rpl_semi_sync_slave_status}. */
    void replicaSemiSyncStatus(final String name, final int oneBased) {
        observations.put(name, String.valueOf(Replicas.semiSyncStatus(replica(oneBased))));
    }

    /** Forgets the client and admin connections (after a master restart broke them); the next use reconnects. */
    void dropConnections() {
        client = null;
        admin = null;
    }

    static void sleep(final long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    // ---------------------------------------------------------------- baseline

    /**
     * Brings the endpoint to the baseline: every replica running (SIGCONT, START SLAVE), connected as a semi-sync
     * client and caught up; the variables at the baseline (enabled ON, the timeout, wait_no_slave ON, trace level
     * 32, wait point AFTER_COMMIT); status ON (a pulse commit lets a caught-up replica's ACK switch it back on); nobody waiting. Records what
     * it reached as {@code baseline}, so a side that cannot reach it shows in the diff instead of hanging the suite.
     */
    void baseline() throws SQLException, InterruptedException {
        for (EmbeddedMariaDb r : endpoint.replicas()) {
            Signals.cont(r);
        }
        if (!endpoint.master().isRunning()) {
            // it crashed (or a scenario stopped it): stop() forgets the dead process, then it starts on its data
            endpoint.master().stop();
            endpoint.master().start();
            endpoint.afterMasterRestart();
        }
        for (String set : List.of(
                "SET GLOBAL rpl_semi_sync_master_enabled = ON",
                "SET GLOBAL rpl_semi_sync_master_timeout = " + timeoutMillis,
                "SET GLOBAL rpl_semi_sync_master_wait_no_slave = ON",
                "SET GLOBAL rpl_semi_sync_master_trace_level = 32",
                "SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_COMMIT")) {
            run(admin(), set);
        }
        endpoint.afterBaselineSets();
        for (EmbeddedMariaDb r : endpoint.replicas()) {
            r.execute("START SLAVE");
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(endpoint.baselineWaitMillis());
        while (System.nanoTime() < deadline
                && !(String.valueOf(endpoint.replicas().size())
                                .equals(counters().get("clients"))
                        && endpoint.replicas().stream().allMatch(ScenarioRun::running))) {
            Thread.sleep(50);
        }
        for (EmbeddedMariaDb r : endpoint.replicas()) {
            try {
                Replicas.awaitCaughtUp(r, endpoint.master(), Duration.ofSeconds(10));
            } catch (IllegalStateException e) {
                // recorded below through the baseline's state
            }
        }
        final int pulses = endpoint.baselineWaitMillis() < 5000 ? 1 : 3;
        for (int i = 0; i < pulses && !"ON".equals(counters().get("status")); i++) {
            run(admin(), "INSERT INTO app.pulse VALUES ()");
            awaitValue("status", "ON", 2000);
        }
        awaitValue("wait_sessions", "0", 5000);
        state("baseline");
    }

    private static boolean running(final EmbeddedMariaDb replica) {
        final Map<Object, String> s = Replicas.status(replica);
        return "Yes".equals(s.get("Slave_IO_Running")) && "Yes".equals(s.get("Slave_SQL_Running"));
    }

    @Override
    public void close() {
        for (EmbeddedMariaDb r : endpoint.replicas()) {
            Signals.cont(r);
        }
        for (CompletableFuture<?> f : pending) {
            try {
                f.get(3 * timeoutMillis + 20_000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // the scenario already recorded what it needed
            }
        }
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException e) {
                // a connection the scenario broke (master shutdown, KILL)
            }
        }
    }
}
