package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.testing.SemiSyncTopology;

/**
 * The AFTER_SYNC guarantee tested the hard way: writers and readers through the proxy (a process of its own, wait
 * point AFTER_SYNC, a timeout far longer than a trial), two semi-sync replicas behind a link that delays the proxy's
 * bytes by {@value PhantomTrial#LINK_DELAY_MILLIS} ms; master and proxy are SIGKILLed together mid-run and the link
 * drops what it still holds. Every id a reader was shown and every acknowledged id must be on a replica afterwards
 * ({@link PhantomTrial}). The control runs the same with AFTER_COMMIT, which must lose reads: it shows the audit can
 * fail. Figures go to {@code target/phantom-audit-<version>.txt}.
 */
class PhantomReadAuditIT {
    private static final int TRIALS = Integer.getInteger("phantom.trials", 10);
    private static final int CONTROL_TRIALS = 4;
    private static final List<EmbeddedMariaDb> REPLICAS = new ArrayList<>();
    /** Server ids of the trials' masters, distinct over the whole class (the replicas see them all). */
    private static int nextMasterId = 200;

    @BeforeAll
    static void startReplicas() {
        REPLICAS.add(SemiSyncTopology.semiSyncReplica("phantom-replica1", 2));
        REPLICAS.add(SemiSyncTopology.semiSyncReplica("phantom-replica2", 3));
        REPLICAS.forEach(PhantomTrial::prepare);
    }

    @AfterAll
    static void stopReplicas() {
        REPLICAS.forEach(EmbeddedMariaDb::close);
    }

    @ParameterizedTest
    @EnumSource(
            value = MariaDbVersion.class,
            names = {"V11_4_5", "V10_2_11"})
    void afterSyncShowsNothingTheReplicasCouldLose(final MariaDbVersion version) throws Exception {
        final String tag = version.version().replace('.', '_');
        final List<String> lines = new ArrayList<>();
        long shown = 0;
        long acknowledged = 0;
        long lost = 0;
        long reads = 0;
        final long t0 = System.nanoTime();
        for (int trial = 1; trial <= TRIALS; trial++) {
            final PhantomTrial.Result r =
                    PhantomTrial.run(version, "after_sync", REPLICAS, "sync_" + tag + "_t" + trial, nextMasterId++);
            lines.add(r.line("trial " + trial));
            shown += r.shown();
            acknowledged += r.acknowledged();
            reads += r.reads();
            lost += r.lostReads().size() + r.lostCommits().size();
            if (version == MariaDbVersion.V10_2_11) {
                assertThat(r.detection())
                        .as("10.2.11 reports no GTIDs: position probes")
                        .startsWith("position_probe");
            }
            assertThat(r.probes()).as("position probes").isPositive();
        }
        final String report = String.format(
                "phantom-read audit %s, AFTER_SYNC: %d trials (%d s), %d values audited (%d shown to readers in %d"
                        + " reads, %d acknowledged commits), %d lost%n%s%n",
                version,
                TRIALS,
                (System.nanoTime() - t0) / 1_000_000_000,
                shown + acknowledged,
                shown,
                reads,
                acknowledged,
                lost,
                String.join(System.lineSeparator(), lines));
        System.out.print(report);
        Files.writeString(Path.of("target", "phantom-audit-" + version.version() + ".txt"), report);
        assertThat(shown).as("values shown to readers").isGreaterThan(TRIALS * 10L);
        assertThat(acknowledged).as("commits acknowledged").isGreaterThan(TRIALS * 10L);
        assertThat(lost).as(report).isZero();
    }

    @Test
    void afterCommitShowsReadsTheReplicasLose() throws Exception {
        final List<String> lines = new ArrayList<>();
        int lostReads = 0;
        long lostCommits = 0;
        for (int trial = 1; trial <= CONTROL_TRIALS && lostReads == 0; trial++) {
            final PhantomTrial.Result r = PhantomTrial.run(
                    MariaDbVersion.V10_2_11, "after_commit", REPLICAS, "commit_t" + trial, nextMasterId++);
            lines.add(r.line("trial " + trial));
            lostReads += r.lostReads().size();
            lostCommits += r.lostCommits().size();
        }
        final String report = String.format(
                "phantom-read audit control, AFTER_COMMIT on 10.2.11: %d trials, %d lost reads, %d lost commits%n%s%n",
                lines.size(), lostReads, lostCommits, String.join(System.lineSeparator(), lines));
        System.out.print(report);
        Files.writeString(Path.of("target", "phantom-audit-control.txt"), report);
        assertThat(lostReads)
                .as("AFTER_COMMIT lets readers see what the replicas lose: " + report)
                .isPositive();
        assertThat(lostCommits)
                .as("acknowledged commits are safe with either wait point")
                .isZero();
    }
}
