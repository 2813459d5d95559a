package org.semisync.proxy.parity;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** The scenarios, each run once against the plugin and once against the proxy from the same baseline. */
final class ParityScenarios {
    private ParityScenarios() {}

    private static final String COMMIT = "INSERT INTO app.t (v) VALUES (1)";
    /** Commits made while OFF that the replicas then catch up on (the plugin asks them for no ACK of each). */
    private static final int CATCH_UP_COMMITS = 10;

    /**
     * Status rows whose values are comparable as they are: the state, not the history. The other
     * {@code Rpl_semi_sync_master_*} values are cumulative since each master (or proxy) started, so they differ by
     * history; scenarios compare their deltas instead and show them as {@code #} in whole-row listings.
     */
    private static final Set<String> STATE_ROWS = Set.of(
            "rpl_semi_sync_master_status",
            "rpl_semi_sync_master_clients",
            "rpl_semi_sync_master_wait_sessions",
            "rpl_semi_sync_master_timefunc_failures");

    /** Normaliser for status listings: cumulative master counters as {@code #} (name in column 1, value in 2). */
    static final UnaryOperator<List<String>> CUMULATIVE_AS_HASH = row -> {
        final String name = row.get(0) == null ? "" : row.get(0).toLowerCase(Locale.ROOT);
        if (name.startsWith("rpl_semi_sync_master_") && !STATE_ROWS.contains(name) && row.size() > 1) {
            final List<String> out = new ArrayList<>(row);
            out.set(row.size() - 1, "#");
            return out;
        }
        return row;
    };

    /** Normaliser for one column that legitimately differs (a port): its value becomes {@code <name>}. */
    static UnaryOperator<List<String>> column(final int zeroBased, final String placeholder) {
        return row -> {
            final List<String> out = new ArrayList<>(row);
            if (out.size() > zeroBased) {
                out.set(zeroBased, placeholder);
            }
            return out;
        };
    }

    static List<Scenario> all() {
        final List<Scenario> s = new ArrayList<>();
        s.add(new Scenario(
                "seed_walkthrough",
                "SHOW GLOBAL VARIABLES/STATUS LIKE '%semi%' with both replicas connected, a commit, status and deltas",
                ParityScenarios::seedWalkthrough));
        s.add(new Scenario(
                "stop_one_replica",
                "STOP SLAVE IO_THREAD of one replica: prompt, clients 1, status ON, the next commit ACKed by the other",
                ParityScenarios::stopOneReplica));
        s.add(new Scenario(
                "stop_all_wait_no_slave_on",
                "STOP SLAVE of both with wait_no_slave=ON: status stays ON, the next commit is held, then OFF",
                r -> stopAll(r, true)));
        s.add(new Scenario(
                "stop_all_wait_no_slave_off",
                "STOP SLAVE of both with wait_no_slave=OFF: what the last replica leaving does, then a commit",
                r -> stopAll(r, false)));
        s.add(new Scenario(
                "start_slave_after_fallback",
                "after a timeout (OFF), START SLAVE of both: catch-up, status back ON, commits ACKed",
                ParityScenarios::startSlaveAfterFallback));
        s.add(new Scenario(
                "timeout_raised_while_waiting",
                "SET GLOBAL rpl_semi_sync_master_timeout raised while a commit waits with no replica",
                r -> timeoutChangedWhileWaiting(r, r.timeoutMillis(), r.timeoutMillis() * 2)));
        s.add(new Scenario(
                "timeout_lowered_while_waiting",
                "SET GLOBAL rpl_semi_sync_master_timeout lowered while a commit waits with no replica",
                r -> timeoutChangedWhileWaiting(r, r.timeoutMillis() * 2, r.timeoutMillis())));
        s.add(new Scenario(
                "disabled_while_waiting_then_enabled",
                "rpl_semi_sync_master_enabled OFF while a commit waits, commits while OFF, then ON again",
                ParityScenarios::disabledWhileWaiting));
        s.add(new Scenario(
                "replica_started_while_waiting",
                "a commit waits with no replica; START SLAVE of one replica releases it with its ACK",
                ParityScenarios::replicaStartedWhileWaiting));
        s.add(new Scenario(
                "gtid_reconnect",
                "a replica stops, commits happen, it restarts (GTID), catches up; status ON throughout",
                ParityScenarios::gtidReconnect));
        s.add(new Scenario(
                "sigstop_one_replica",
                "one replica SIGSTOPped (connected, silent): the other ACKs, commits prompt",
                ParityScenarios::sigstopOne));
        s.add(new Scenario(
                "sigstop_both_replicas",
                "both replicas SIGSTOPped: a commit is held to the timeout, OFF; SIGCONT: late ACKs, ON again",
                ParityScenarios::sigstopBoth));
        s.add(new Scenario(
                "no_binlog_statements_mariadb_connected",
                "KILL, SET, SHOW, SELECT, USE, an UPDATE of no row (MariaDB C/J, replicas connected): nothing waits",
                r -> noBinlogStatements(r, false, false)));
        s.add(new Scenario(
                "no_binlog_statements_mariadb_no_replica",
                "the same statements with no replica connected (MariaDB C/J, GTID tracking on the proxy)",
                r -> noBinlogStatements(r, false, true)));
        s.add(new Scenario(
                "no_binlog_statements_mysql_no_replica",
                "the same statements with no replica connected (MySQL C/J: position probes on the proxy)",
                r -> noBinlogStatements(r, true, true)));
        s.add(new Scenario(
                "wait_no_slave_off_while_waiting",
                "a commit waits with no replica (wait_no_slave=ON); SET GLOBAL rpl_semi_sync_master_wait_no_slave=OFF",
                ParityScenarios::waitNoSlaveOffWhileWaiting));
        s.add(new Scenario(
                "disabled_then_enabled_with_replicas",
                "rpl_semi_sync_master_enabled OFF and ON again with both replicas connected: commits, status, deltas",
                ParityScenarios::disabledThenEnabledWithReplicas));
        s.add(new Scenario(
                "set_errors_and_privileges",
                "SET of bad values, unknown names, SESSION scope, out-of-range values; SET by an account without SUPER",
                ParityScenarios::setErrors));
        s.add(new Scenario(
                "wait_point_after_sync",
                "SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC, read back, set back",
                ParityScenarios::waitPoint));
        s.add(new Scenario(
                "flush_status",
                "FLUSH STATUS resets the plugin's counters (yes_tx, no_tx, ...) but not clients/status",
                ParityScenarios::flushStatus));
        s.add(new Scenario(
                "show_variables_forms",
                "SHOW [GLOBAL|SESSION] VARIABLES LIKE '%semi%' / LIKE one name / WHERE Variable_name LIKE",
                r -> showForms(r, "VARIABLES")));
        s.add(new Scenario(
                "show_status_forms",
                "SHOW [GLOBAL|SESSION] STATUS LIKE '%semi%' / LIKE 'rpl_semi_sync_master_status' / WHERE",
                r -> showForms(r, "STATUS")));
        s.add(new Scenario(
                "schema_selects",
                "information_schema and performance_schema GLOBAL_VARIABLES/GLOBAL_STATUS over the semi names",
                ParityScenarios::schemaSelects));
        s.add(new Scenario(
                "select_variable_forms",
                "SELECT @@x, @@global.x, @@session.x, mixed with server variables",
                ParityScenarios::selectVariableForms));
        s.add(new Scenario(
                "trace_level_set",
                "SET GLOBAL rpl_semi_sync_master_trace_level = 64, read back, set back",
                ParityScenarios::traceLevel));
        s.add(new Scenario(
                "show_slave_hosts",
                "SHOW SLAVE HOSTS lists the two replicas' server ids (ports normalised)",
                ParityScenarios::showSlaveHosts));
        // last: it restarts the masters, and the proxy's state after that is part of what it observes
        s.add(new Scenario(
                "master_shutdown_with_waiting_commit",
                "the master shut down (SIGTERM) while a commit waits: what the waiting client gets; replicas return",
                ParityScenarios::masterShutdown));
        return s;
    }

    // ---------------------------------------------------------------- scenarios

    private static void seedWalkthrough(final ScenarioRun r) throws Exception {
        r.rows("SHOW GLOBAL VARIABLES LIKE '%semi%'", "SHOW GLOBAL VARIABLES LIKE '%semi%'");
        r.rows("SHOW GLOBAL STATUS LIKE '%semi%'", "SHOW GLOBAL STATUS LIKE '%semi%'", CUMULATIVE_AS_HASH);
        final Map<String, String> before = r.counters();
        r.timed("commit", COMMIT);
        r.status("status after the commit");
        r.deltas("deltas after the commit", before);
        r.rows(
                "SHOW GLOBAL STATUS LIKE '%semi%' after the commit",
                "SHOW GLOBAL STATUS LIKE '%semi%'", CUMULATIVE_AS_HASH);
    }

    private static void stopOneReplica(final ScenarioRun r) throws Exception {
        final Map<String, String> before = r.counters();
        r.timedOnReplica("STOP SLAVE IO_THREAD on replica 1", 1, "STOP SLAVE IO_THREAD");
        r.await("clients after the stop", "clients", "1", 5000);
        r.status("status after the stop");
        r.deltas("deltas after the stop", before);
        r.timed("commit with one replica", COMMIT);
        r.status("status after the commit");
        r.deltas("deltas after the commit", before);
    }

    private static void stopAll(final ScenarioRun r, final boolean waitNoSlave) throws Exception {
        if (!waitNoSlave) {
            r.outcome(
                    "SET GLOBAL rpl_semi_sync_master_wait_no_slave = OFF",
                    r.admin(),
                    "SET GLOBAL rpl_semi_sync_master_wait_no_slave = OFF");
        }
        final Map<String, String> before = r.counters();
        r.timedOnReplica("STOP SLAVE IO_THREAD on replica 1", 1, "STOP SLAVE IO_THREAD");
        r.timedOnReplica("STOP SLAVE IO_THREAD on replica 2", 2, "STOP SLAVE IO_THREAD");
        r.await("clients after both stops", "clients", "0", 5000);
        // let a switch OFF that is coming happen before reading the status
        ScenarioRun.sleep(300);
        r.status("status with no replica");
        r.deltas("deltas before any commit", before);
        r.timed("next commit", COMMIT);
        r.status("status after the next commit");
        r.deltas("deltas after the next commit", before);
        r.timed("second commit", COMMIT);
        r.status("status after the second commit");
        r.deltas("deltas after the second commit", before);
    }

    private static void stopBoth(final ScenarioRun r) throws Exception {
        r.onReplica(1, "STOP SLAVE IO_THREAD");
        r.onReplica(2, "STOP SLAVE IO_THREAD");
        r.awaitValue("clients", "0", 5000);
    }

    private static void startSlaveAfterFallback(final ScenarioRun r) throws Exception {
        stopBoth(r);
        final Map<String, String> before = r.counters();
        r.timed("commit with no replica", COMMIT);
        for (int i = 1; i <= CATCH_UP_COMMITS; i++) {
            r.timed("commit " + i + " while OFF", COMMIT);
        }
        r.status("status after the timeout");
        final Map<String, String> beforeCatchUp = r.counters();
        r.timedOnReplica("START SLAVE IO_THREAD on replica 1", 1, "START SLAVE IO_THREAD");
        r.timedOnReplica("START SLAVE IO_THREAD on replica 2", 2, "START SLAVE IO_THREAD");
        r.await("clients after START SLAVE", "clients", "2", 10_000);
        r.caughtUp("replica 1", 1);
        r.caughtUp("replica 2", 2);
        r.await("status once caught up (settled up to 2 s)", "status", "ON", 2000);
        r.ackRequestsSince("ACKs asked for while both caught up on the commits made while OFF", beforeCatchUp, 2);
        r.deltas("deltas before the next commit", before);
        r.timed("commit after START SLAVE", COMMIT);
        r.await("status after that commit (settled up to 2 s)", "status", "ON", 2000);
        r.timed("second commit after START SLAVE", COMMIT);
        r.status("status after the second commit");
        r.deltas("deltas at the end", before);
    }

    private static void timeoutChangedWhileWaiting(final ScenarioRun r, final long initial, final long changed)
            throws Exception {
        if (initial != r.timeoutMillis()) {
            r.outcome(
                    "SET GLOBAL rpl_semi_sync_master_timeout = " + initial,
                    r.admin(),
                    "SET GLOBAL rpl_semi_sync_master_timeout = " + initial);
        }
        stopBoth(r);
        final Map<String, String> before = r.counters();
        final ScenarioRun.Pending commit = r.start(COMMIT);
        r.await("wait_sessions while the commit waits", "wait_sessions", "1", 3000);
        r.outcome(
                "SET GLOBAL rpl_semi_sync_master_timeout = " + changed + " while it waits",
                r.admin(),
                "SET GLOBAL rpl_semi_sync_master_timeout = " + changed);
        r.rows(
                "SHOW VARIABLES LIKE 'rpl_semi_sync_master_timeout'",
                "SHOW VARIABLES LIKE 'rpl_semi_sync_master_timeout'");
        commit.record("the waiting commit (classes relative to " + r.timeoutMillis() + " ms)");
        r.status("status after it");
        r.deltas("deltas", before);
    }

    private static void disabledWhileWaiting(final ScenarioRun r) throws Exception {
        stopBoth(r);
        final Map<String, String> before = r.counters();
        final ScenarioRun.Pending commit = r.start(COMMIT);
        r.await("wait_sessions while the commit waits", "wait_sessions", "1", 3000);
        final long set = System.nanoTime();
        r.timed(
                "SET GLOBAL rpl_semi_sync_master_enabled = OFF",
                r.admin(),
                "SET GLOBAL rpl_semi_sync_master_enabled = OFF");
        commit.recordSince("the waiting commit, from the SET", set);
        r.status("status after OFF");
        r.deltas("deltas after OFF", before);
        r.rows(
                "SHOW VARIABLES LIKE 'rpl_semi_sync_master_enabled'",
                "SHOW VARIABLES LIKE 'rpl_semi_sync_master_enabled'");
        r.timed("commit while disabled", COMMIT);
        r.deltas("deltas after a commit while disabled", before);
        r.rows(
                "SHOW VARIABLES LIKE 'rpl_semi_sync_master_enabled', after that commit",
                "SHOW VARIABLES LIKE 'rpl_semi_sync_master_enabled'");
        r.timed(
                "SET GLOBAL rpl_semi_sync_master_enabled = ON",
                r.admin(),
                "SET GLOBAL rpl_semi_sync_master_enabled = ON");
        r.state("state after ON, no replica");
        r.timed("commit after ON with no replica", COMMIT);
        r.status("status after that commit");
        r.deltas("deltas at the end", before);
    }

    private static void replicaStartedWhileWaiting(final ScenarioRun r) throws Exception {
        stopBoth(r);
        final Map<String, String> before = r.counters();
        final ScenarioRun.Pending commit = r.start(COMMIT);
        r.await("wait_sessions while the commit waits", "wait_sessions", "1", 3000);
        r.onReplica(1, "START SLAVE IO_THREAD");
        commit.recordReleasedBeforeTimeout("the waiting commit");
        r.status("status after it");
        r.deltas("deltas", before);
        r.await("clients", "clients", "1", 5000);
    }

    private static void gtidReconnect(final ScenarioRun r) throws Exception {
        final Map<String, String> before = r.counters();
        r.onReplica(1, "STOP SLAVE");
        r.await("clients with replica 1 stopped", "clients", "1", 5000);
        for (int i = 1; i <= 3; i++) {
            r.timed("commit " + i + " with replica 1 stopped", COMMIT);
        }
        r.onReplica(1, "START SLAVE");
        r.await("clients after replica 1 restarted", "clients", "2", 10_000);
        r.caughtUp("replica 1", 1);
        r.timed("commit after the reconnect", COMMIT);
        r.status("status");
        r.deltas("deltas", before);
        r.replicaSemiSyncStatus("replica 1 Rpl_semi_sync_slave_status", 1);
        r.onReplica(2, "STOP SLAVE");
        r.await("clients with replica 2 stopped", "clients", "1", 5000);
        r.timed("commit with replica 2 stopped", COMMIT);
        r.onReplica(2, "START SLAVE");
        r.await("clients after replica 2 restarted", "clients", "2", 10_000);
        r.caughtUp("replica 2", 2);
        r.timed("commit after replica 2 reconnected", COMMIT);
        r.status("status at the end");
        r.deltas("deltas at the end", before);
    }

    private static void sigstopOne(final ScenarioRun r) throws Exception {
        final Map<String, String> before = r.counters();
        r.sigstop(1);
        try {
            r.timed("commit with replica 1 stopped", COMMIT);
            r.timed("second commit with replica 1 stopped", COMMIT);
            r.state("state with replica 1 stopped");
            r.deltas("deltas", before);
        } finally {
            r.sigcont(1);
        }
        r.caughtUp("replica 1 after SIGCONT", 1);
        r.timed("commit after SIGCONT", COMMIT);
        r.state("state at the end");
    }

    private static void sigstopBoth(final ScenarioRun r) throws Exception {
        final Map<String, String> before = r.counters();
        r.sigstop(1);
        r.sigstop(2);
        try {
            r.timed("commit with both stopped", COMMIT);
            r.status("status after it");
            r.timed("second commit with both stopped", COMMIT);
            r.state("state with both stopped");
            r.deltas("deltas while stopped", before);
        } finally {
            r.sigcont(1);
            r.sigcont(2);
        }
        r.await("status after SIGCONT (settled up to 3 s)", "status", "ON", 3000);
        r.timed("commit after SIGCONT", COMMIT);
        r.await("status after that commit (settled up to 2 s)", "status", "ON", 2000);
        r.state("state at the end");
        r.deltas("deltas at the end", before);
    }

    private static void noBinlogStatements(final ScenarioRun r, final boolean mysql, final boolean noReplica)
            throws Exception {
        if (noReplica) {
            stopBoth(r);
        }
        final Connection c = mysql ? r.newMysql() : r.newMariadb();
        final Connection victim = r.newMariadb();
        final long victimId;
        try (Statement s = victim.createStatement();
                ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            victimId = rs.getLong(1);
        }
        r.state("state before");
        final Map<String, String> before = r.counters();
        r.timedWithDeltas("KILL of another connection", c, "KILL " + victimId);
        r.timedWithDeltas("SET @x = 1", c, "SET @x = 1");
        r.timedWithDeltas("SET SESSION wait_timeout = 3600", c, "SET SESSION wait_timeout = 3600");
        r.timedWithDeltas("SHOW TABLES", c, "SHOW TABLES");
        r.timedWithDeltas("SELECT COUNT(*) FROM t", c, "SELECT COUNT(*) FROM app.t");
        r.timedWithDeltas("USE app", c, "USE app");
        r.timedWithDeltas("UPDATE that matches no row", c, "UPDATE app.t SET v = v + 1 WHERE id = -1");
        r.timedWithDeltas("BEGIN; SELECT; COMMIT (empty transaction): BEGIN", c, "BEGIN");
        r.timedWithDeltas("BEGIN; SELECT; COMMIT (empty transaction): SELECT", c, "SELECT 1");
        r.timedWithDeltas("BEGIN; SELECT; COMMIT (empty transaction): COMMIT", c, "COMMIT");
        r.timedWithDeltas("BEGIN; INSERT; ROLLBACK: BEGIN", c, "BEGIN");
        r.timedWithDeltas("BEGIN; INSERT; ROLLBACK: INSERT", c, "INSERT INTO app.t (v) VALUES (2)");
        r.timedWithDeltas("BEGIN; INSERT; ROLLBACK: ROLLBACK", c, "ROLLBACK");
        r.state("state after");
        r.deltas("deltas", before);
    }

    private static void waitNoSlaveOffWhileWaiting(final ScenarioRun r) throws Exception {
        stopBoth(r);
        final Map<String, String> before = r.counters();
        final ScenarioRun.Pending commit = r.start(COMMIT);
        r.await("wait_sessions while the commit waits", "wait_sessions", "1", 3000);
        final long set = System.nanoTime();
        r.timed(
                "SET GLOBAL rpl_semi_sync_master_wait_no_slave = OFF",
                r.admin(),
                "SET GLOBAL rpl_semi_sync_master_wait_no_slave = OFF");
        commit.recordSince("the waiting commit, from the SET", set);
        r.status("status after it");
        r.deltas("deltas", before);
        r.timed("next commit", COMMIT);
        r.status("status after the next commit");
        r.deltas("deltas after the next commit", before);
    }

    private static void disabledThenEnabledWithReplicas(final ScenarioRun r) throws Exception {
        final Map<String, String> before = r.counters();
        r.timed(
                "SET GLOBAL rpl_semi_sync_master_enabled = OFF",
                r.admin(),
                "SET GLOBAL rpl_semi_sync_master_enabled = OFF");
        r.state("state after OFF");
        r.timed("commit while disabled", COMMIT);
        r.deltas("deltas after a commit while disabled", before);
        r.timed(
                "SET GLOBAL rpl_semi_sync_master_enabled = ON",
                r.admin(),
                "SET GLOBAL rpl_semi_sync_master_enabled = ON");
        r.state("state after ON");
        r.timed("commit after ON", COMMIT);
        r.await("status after that commit (settled up to 2 s)", "status", "ON", 2000);
        r.timed("second commit after ON", COMMIT);
        r.state("state at the end");
        r.deltas("deltas at the end", before);
    }

    private static void setErrors(final ScenarioRun r) throws Exception {
        final Connection c = r.client();
        for (String sql : List.of(
                "SET GLOBAL rpl_semi_sync_master_timeout = 'soon'",
                "SET GLOBAL rpl_semi_sync_master_enabled = 'maybe'",
                "SET GLOBAL rpl_semi_sync_master_wait_no_slave = 2",
                "SET GLOBAL rpl_semi_sync_master_no_such = 1",
                "SET SESSION rpl_semi_sync_master_timeout = 5",
                "SET rpl_semi_sync_master_timeout = 5",
                "SET @@session.rpl_semi_sync_master_enabled = OFF",
                "SET GLOBAL rpl_semi_sync_master_wait_point = SOMETIME")) {
            r.outcome(sql, c, sql);
        }
        r.rows(
                "after the refused SETs: SHOW VARIABLES LIKE 'rpl_semi_sync_master_%'",
                "SHOW VARIABLES LIKE 'rpl_semi_sync_master_%'");
        r.outcome(
                "SET @@global.rpl_semi_sync_master_timeout = 1600",
                c,
                "SET @@global.rpl_semi_sync_master_timeout = 1600");
        r.rows("SELECT @@global.rpl_semi_sync_master_timeout after it", "SELECT @@global.rpl_semi_sync_master_timeout");
        r.outcome("SET GLOBAL rpl_semi_sync_master_timeout = -1", c, "SET GLOBAL rpl_semi_sync_master_timeout = -1");
        r.rows("SELECT @@global.rpl_semi_sync_master_timeout after -1", "SELECT @@global.rpl_semi_sync_master_timeout");
        r.outcome(
                "SET GLOBAL rpl_semi_sync_master_timeout = DEFAULT",
                c,
                "SET GLOBAL rpl_semi_sync_master_timeout = DEFAULT");
        r.rows(
                "SELECT @@global.rpl_semi_sync_master_timeout after DEFAULT",
                "SELECT @@global.rpl_semi_sync_master_timeout");
        r.outcome("SET GLOBAL rpl_semi_sync_master_enabled = 1", c, "SET GLOBAL rpl_semi_sync_master_enabled = 1");
        r.outcome(
                "SET GLOBAL rpl_semi_sync_master_timeout = " + r.timeoutMillis(),
                c,
                "SET GLOBAL rpl_semi_sync_master_timeout = " + r.timeoutMillis());
        final Connection plain = r.newMariadb("plain", "plain_pass");
        r.outcome(
                "as an account without SUPER: SET GLOBAL rpl_semi_sync_master_timeout = 5",
                plain,
                "SET GLOBAL rpl_semi_sync_master_timeout = 5");
        r.outcome(
                "as an account without SUPER: SET GLOBAL rpl_semi_sync_master_enabled = OFF",
                plain,
                "SET GLOBAL rpl_semi_sync_master_enabled = OFF");
        r.observations()
                .put(
                        "as an account without SUPER: SHOW VARIABLES LIKE 'rpl_semi_sync_master_timeout'",
                        r.rowsOf(
                                plain,
                                "SHOW VARIABLES LIKE 'rpl_semi_sync_master_timeout'",
                                UnaryOperator.identity(),
                                false));
        r.observations()
                .put(
                        "as an account without SUPER: SHOW STATUS LIKE 'Rpl_semi_sync_master_status'",
                        r.rowsOf(
                                plain,
                                "SHOW STATUS LIKE 'Rpl_semi_sync_master_status'",
                                UnaryOperator.identity(),
                                false));
        r.outcome(
                "as an account without SUPER: INSERT (the session goes on)", plain, "INSERT INTO app.t (v) VALUES (5)");
        r.state("state at the end");
    }

    private static void waitPoint(final ScenarioRun r) throws Exception {
        final Connection c = r.client();
        r.outcome(
                "SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC",
                c,
                "SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC");
        r.rows("SELECT @@global.rpl_semi_sync_master_wait_point", "SELECT @@global.rpl_semi_sync_master_wait_point");
        final Map<String, String> before = r.counters();
        r.timed("commit with AFTER_SYNC", COMMIT);
        r.deltas("deltas", before);
        r.outcome(
                "SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_COMMIT",
                c,
                "SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_COMMIT");
        r.rows(
                "SHOW VARIABLES LIKE 'rpl_semi_sync_master_wait_point' after setting it back",
                "SHOW VARIABLES LIKE 'rpl_semi_sync_master_wait_point'");
    }

    private static void flushStatus(final ScenarioRun r) throws Exception {
        r.timed("commit", COMMIT);
        final Map<String, String> before = r.counters();
        r.outcome("FLUSH STATUS", r.client(), "FLUSH STATUS");
        final Map<String, String> after = r.counters();
        // absolute values depend on each side's history; what is compared is whether FLUSH STATUS reset a counter
        // (it is itself binlogged, so a counter it resets may already count it again: "reset, now 1")
        for (String name : List.of(
                "yes_tx",
                "no_tx",
                "no_times",
                "request_ack",
                "get_ack",
                "net_waits",
                "tx_waits",
                "tx_wait_time",
                "net_wait_time",
                "wait_pos_backtraverse")) {
            final long b = parse(before.get(name));
            final long a = parse(after.get(name));
            final String what;
            if (a < b) {
                what = "reset, now " + a;
            } else if (a == 0 && b == 0) {
                what = "0 before and after";
            } else {
                what = "not reset";
            }
            r.observations().put(name + " after FLUSH STATUS", what);
        }
        for (String name : List.of("status", "clients")) {
            final String sql = "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_" + name + "'";
            r.rows(sql + " after FLUSH STATUS", sql);
        }
        final Map<String, String> beforeCommit = r.counters();
        r.timed("commit after FLUSH STATUS", COMMIT);
        r.deltas("deltas of that commit", beforeCommit);
    }

    private static long parse(final String v) {
        try {
            return v == null ? -1 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void showForms(final ScenarioRun r, final String kind) throws Exception {
        final UnaryOperator<List<String>> norm = "STATUS".equals(kind) ? CUMULATIVE_AS_HASH : UnaryOperator.identity();
        final String column = "Variable_name";
        for (String scope : List.of("", "GLOBAL ", "SESSION ")) {
            for (String filter : List.of(
                    "LIKE '%semi%'",
                    "LIKE 'rpl_semi_sync_master_status'",
                    "LIKE 'rpl_semi_sync_master_timeout'",
                    "WHERE " + column + " LIKE 'rpl_semi%'",
                    "LIKE 'Rpl\\_semi\\_sync\\_master\\_clients'",
                    "LIKE 'rpl_semi_sync_master_%'",
                    "like 'RPL_SEMI_SYNC_MASTER_WAIT_SESSIONS'")) {
                final String sql = "SHOW " + scope + kind + " " + filter;
                r.rows(sql, sql, norm);
            }
        }
    }

    private static void schemaSelects(final ScenarioRun r) throws Exception {
        for (String table : List.of(
                "information_schema.GLOBAL_VARIABLES",
                "information_schema.GLOBAL_STATUS",
                "performance_schema.global_variables",
                "performance_schema.global_status")) {
            final String sql = "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM " + table
                    + " WHERE VARIABLE_NAME LIKE '%SEMI%' ORDER BY VARIABLE_NAME";
            r.rows(
                    sql,
                    sql,
                    table.toLowerCase(Locale.ROOT).endsWith("status") ? CUMULATIVE_AS_HASH : UnaryOperator.identity());
        }
        final String one = "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                + " WHERE VARIABLE_NAME = 'RPL_SEMI_SYNC_MASTER_STATUS'";
        r.rows(one, one);
        final String timeout = "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES"
                + " WHERE VARIABLE_NAME = 'RPL_SEMI_SYNC_MASTER_TIMEOUT'";
        r.rows(timeout, timeout);
    }

    private static void selectVariableForms(final ScenarioRun r) throws Exception {
        for (String sql : List.of(
                "SELECT @@rpl_semi_sync_master_timeout",
                "SELECT @@global.rpl_semi_sync_master_enabled",
                "SELECT @@GLOBAL.rpl_semi_sync_master_wait_no_slave, @@global.rpl_semi_sync_master_wait_point",
                "SELECT @@session.rpl_semi_sync_master_timeout",
                "SELECT @@version_comment, @@rpl_semi_sync_master_timeout",
                "SELECT @@rpl_semi_sync_master_timeout AS t, @@rpl_semi_sync_master_enabled AS e",
                "select @@global.rpl_semi_sync_master_trace_level")) {
            r.rows(sql, sql);
        }
        // @@port is the endpoint's own port on each side: normalised
        final String port = "SELECT @@port, @@version, @@global.rpl_semi_sync_master_timeout";
        r.rows(port, port, column(0, "<port>"));
    }

    private static void traceLevel(final ScenarioRun r) throws Exception {
        r.outcome(
                "SET GLOBAL rpl_semi_sync_master_trace_level = 64",
                r.client(),
                "SET GLOBAL rpl_semi_sync_master_trace_level = 64");
        r.rows(
                "SHOW VARIABLES LIKE 'rpl_semi_sync_master_trace_level'",
                "SHOW VARIABLES LIKE 'rpl_semi_sync_master_trace_level'");
        r.rows("SELECT @@global.rpl_semi_sync_master_trace_level", "SELECT @@global.rpl_semi_sync_master_trace_level");
        r.outcome(
                "SET GLOBAL rpl_semi_sync_master_trace_level = 32",
                r.client(),
                "SET GLOBAL rpl_semi_sync_master_trace_level = 32");
        r.rows(
                "SHOW VARIABLES LIKE 'rpl_semi_sync_master_trace_level' after setting it back",
                "SHOW VARIABLES LIKE 'rpl_semi_sync_master_trace_level'");
    }

    private static void showSlaveHosts(final ScenarioRun r) throws Exception {
        // Port: each replica's own port, which differs between the two sides
        r.sortedRows("SHOW SLAVE HOSTS", "SHOW SLAVE HOSTS", column(2, "<port>"));
        r.sortedRows("SHOW REPLICA HOSTS", "SHOW REPLICA HOSTS", column(2, "<port>"));
    }

    private static void masterShutdown(final ScenarioRun r) throws Exception {
        stopBoth(r);
        final ScenarioRun.Pending commit = r.start(COMMIT);
        r.await("wait_sessions while the commit waits", "wait_sessions", "1", 3000);
        final long t0 = System.nanoTime();
        r.endpoint().master().stop();
        r.observations().put("master shutdown duration", r.durationClass((System.nanoTime() - t0) / 1_000_000));
        commit.recordErrorClass("the waiting commit");
        r.endpoint().master().start();
        r.onReplica(1, "START SLAVE IO_THREAD");
        r.onReplica(2, "START SLAVE IO_THREAD");
        r.dropConnections();
        r.await("clients after the master restarted (up to 20 s)", "clients", "2", 20_000);
        r.caughtUp("replica 1 after the restart", 1);
        r.timed("commit after the restart", COMMIT);
        r.status("status after that commit");
        r.endpoint().afterMasterRestart();
    }
}
