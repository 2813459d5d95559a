package org.semisync.proxy.commit;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.demo.Replicas;
import org.semisync.proxy.testing.DelayingLink;
import org.semisync.proxy.testing.ProxyProcess;
import org.semisync.proxy.testing.RelayLogs;

/**
 * One trial of the phantom-read audit: a fresh master, the proxy as a process of its own, the replicas re-pointed at
 * it through a {@link DelayingLink}; writers and readers run for a while, then the site dies — the link drops what it
 * still holds, master and proxy are SIGKILLed together — and, once the replicas applied what they received, every id
 * a reader was shown and every id acknowledged must be on at least one of them.
 */
final class PhantomTrial {
    static final int WRITERS = 3;
    static final int READERS = 3;
    static final long LOAD_MILLIS = 1500;
    static final long LINK_DELAY_MILLIS = 30;

    /** What one trial saw. */
    record Result(
            String detection,
            int acknowledged,
            int shown,
            long reads,
            long probes,
            double readsHeld,
            Set<Integer> lostReads,
            Set<Integer> lostCommits,
            String phases) {
        String line(final String name) {
            return String.format(
                    "%s: %d acknowledged, %d shown in %d reads, %d reads held, %d probes, lost: %d shown %s,"
                            + " %d acknowledged %s; ms: %s",
                    name,
                    acknowledged,
                    shown,
                    reads,
                    (long) readsHeld,
                    probes,
                    lostReads.size(),
                    sample(lostReads),
                    lostCommits.size(),
                    sample(lostCommits),
                    phases);
        }

        private static String sample(final Set<Integer> ids) {
            return ids.isEmpty()
                    ? ""
                    : new TreeSet<>(ids).stream().limit(10).toList().toString();
        }
    }

    private PhantomTrial() {}

    /** Where a trial's time goes (the machine is shared: set-up dominates when it is loaded). */
    private static final class Phases {
        private final StringBuilder text = new StringBuilder();
        private long last = System.nanoTime();

        <T> T marked(final String phase, final T result) {
            mark(phase);
            return result;
        }

        void mark(final String phase) {
            final long now = System.nanoTime();
            text.append(text.length() == 0 ? "" : " ").append(phase).append(' ').append((now - last) / 1_000_000);
            last = now;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /**
     * Runs one trial with the given wait point ({@code after_sync} / {@code after_commit}) on a fresh master of
     * {@code version} with server id {@code serverId}; {@code name} names the table and the proxy's log files.
     */
    static Result run(
            final MariaDbVersion version,
            final String waitPoint,
            final List<EmbeddedMariaDb> replicas,
            final String name,
            final int serverId)
            throws Exception {
        final String table = "app." + name;
        final AuditWorkload load;
        final String detection;
        final long probes;
        final double readsHeld;
        final Phases phases = new Phases();
        try (EmbeddedMariaDb master = phases.marked(
                        "master",
                        EmbeddedMariaDb.builder(version)
                                .name("phantom-master")
                                .serverId(serverId)
                                .build()
                                .start());
                ProxyProcess proxy = phases.marked(
                        "proxy",
                        ProxyProcess.start(
                                master,
                                name,
                                "--wait-point",
                                waitPoint,
                                "--timeout",
                                "600000",
                                "--log-level",
                                "warn"));
                DelayingLink link = DelayingLink.start(proxy.port(), LINK_DELAY_MILLIS)) {
            final String start = master.queryString("SELECT @@gtid_binlog_pos");
            for (EmbeddedMariaDb r : replicas) {
                r.execute("STOP SLAVE", "RESET SLAVE ALL");
                Replicas.pointAt(r, "127.0.0.1", link.port(), Replicas.Mode.GTID, start);
            }
            proxy.awaitStatus("Rpl_semi_sync_master_clients", "2"::equals);
            phases.mark("connect");
            master.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            for (EmbeddedMariaDb r : replicas) {
                Replicas.awaitCaughtUp(r, master, Duration.ofSeconds(60));
            }
            detection = proxy.commitDetection();
            phases.mark("table");
            load = AuditWorkload.start(proxy, table, WRITERS, READERS);
            try {
                Thread.sleep(LOAD_MILLIS);
                // the timeout is far longer than a trial: nothing may have been released without an ACK
                final String status = proxy.status("Rpl_semi_sync_master_status");
                final String noTx = proxy.status("Rpl_semi_sync_master_no_tx");
                probes = Long.parseLong(proxy.status("Rpl_semi_sync_master_position_probes"));
                readsHeld = proxy.metric("semisync_reads_held_total");
                if (!"ON".equals(status) || !"0".equals(noTx)) {
                    throw new AssertionError(name + ": semi-sync " + status + ", no_tx " + noTx + " before the kill");
                }
                load.siteDying();
                link.cut();
                proxy.killTogetherWith(master);
                load.killed();
                phases.mark("load+kill");
            } finally {
                load.close();
            }
        }
        if (!load.failures.isEmpty()) {
            throw new AssertionError(name + ": a client failed before the kill", load.failures.get(0));
        }
        final Set<Integer> onReplicas = new HashSet<>();
        for (EmbeddedMariaDb r : replicas) {
            RelayLogs.awaitApplied(r);
            onReplicas.addAll(RelayLogs.ids(r, table));
        }
        phases.mark("applied");
        final Set<Integer> lostReads = new HashSet<>(load.shown);
        lostReads.removeAll(onReplicas);
        final Set<Integer> lostCommits = new HashSet<>(load.acknowledged);
        lostCommits.removeAll(onReplicas);
        return new Result(
                detection,
                load.acknowledged.size(),
                load.shown.size(),
                load.reads.get(),
                probes,
                readsHeld,
                lostReads,
                lostCommits,
                phases.toString());
    }

    /** A replica's IO thread gives up on a dead master soon, so that STOP SLAVE of the next trial is quick. */
    static void prepare(final EmbeddedMariaDb replica) {
        replica.execute("SET GLOBAL slave_net_timeout = 5");
    }
}
