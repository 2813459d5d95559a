package org.semisync.ack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Random interleavings of waiters, commits, ACKs, (dis)connects, clock steps and setting changes, checked against a
 * reference model of the rules: a commit released as ACKNOWLEDGED is covered by the highest quorum the model has seen
 * (what a quorum acknowledged stays acknowledged after its replicas leave);
 * no commit is released twice; TIMED_OUT only after its deadline; enforced mode never falls back; at shutdown
 * everything has been released and the counters add up.
 */
class TrackerModelTest {
    private static final int RUNS = 300;
    private static final int STEPS = 400;

    /** What the model knows about one commit. */
    private static final class Commit {
        final BinlogPosition end;
        final long deadline;
        final boolean enforcedAtStart;
        final List<ReleaseOutcome> releases = new ArrayList<>();

        Commit(final BinlogPosition end, final long deadline, final boolean enforcedAtStart) {
            this.end = end;
            this.deadline = deadline;
            this.enforcedAtStart = enforcedAtStart;
        }
    }

    @Test
    void thousandsOfRandomInterleavingsFollowTheRules() {
        for (int run = 0; run < RUNS; run++) {
            runOnce(new Random(run), run);
        }
    }

    private void runOnce(final Random random, final int run) {
        final long[] now = {1_000_000L};
        final Map<String, BinlogPosition> watermarks = new TreeMap<>();
        final List<Commit> commits = new ArrayList<>();
        final Map<Gtid, BinlogPosition> gtidEnds = new HashMap<>();
        final BinlogPosition[] acknowledged = {null};
        final SemiSyncSettings[] settings = {
            new SemiSyncSettings(
                    true, 1 + random.nextInt(50), 1 + random.nextInt(2), random.nextBoolean(), random.nextInt(5) == 0)
        };
        final TrackerState state = new TrackerState(settings[0], (o, n) -> {});
        long nextOffset = 4;
        int file = 1;
        for (int step = 0; step < STEPS; step++) {
            final int op = random.nextInt(100);
            if (op < 30) {
                // a transaction commits on the master and its client waits (by position or by GTID)
                nextOffset += 1 + random.nextInt(300);
                if (random.nextInt(20) == 0) {
                    file++;
                    nextOffset = 4 + random.nextInt(100);
                }
                final BinlogPosition end = new BinlogPosition(String.format("mysql-bin.%06d", file), nextOffset);
                final Commit c = new Commit(
                        end,
                        now[0] + TimeUnit.MILLISECONDS.toNanos(settings[0].timeoutMillis()),
                        settings[0].enforced());
                commits.add(c);
                final CommitListener listener = (outcome, waited) -> {
                    if (outcome == ReleaseOutcome.ACKNOWLEDGED) {
                        assertThat(BinlogPosition.max(
                                        acknowledged[0], quorum(watermarks, settings[0].waitForSlaveCount())))
                                .as("run %d: %s released as acknowledged without quorum", run, end)
                                .isNotNull()
                                .satisfies(q -> assertThat(q.covers(end)).isTrue());
                    }
                    if (outcome == ReleaseOutcome.TIMED_OUT) {
                        assertThat(now[0]).as("run %d: timed out early", run).isGreaterThanOrEqualTo(c.deadline);
                    }
                    c.releases.add(outcome);
                };
                if (random.nextBoolean()) {
                    state.transactionCommitted(now[0], null, end);
                    state.await(now[0], Waiter.forPosition(end, Runnable::run, listener));
                } else {
                    final Gtid gtid = new MariaDbGtid(0, 1, commits.size());
                    gtidEnds.put(gtid, end);
                    if (random.nextBoolean()) {
                        state.transactionCommitted(now[0], gtid, end);
                        state.await(now[0], Waiter.forGtid(gtid, Runnable::run, listener));
                    } else {
                        state.await(now[0], Waiter.forGtid(gtid, Runnable::run, listener));
                        state.transactionCommitted(now[0], gtid, end);
                    }
                }
            } else if (op < 60 && !watermarks.isEmpty()) {
                // an ACK somewhere around the newest commit, sometimes backwards or beyond
                final String id = new ArrayList<>(watermarks.keySet()).get(random.nextInt(watermarks.size()));
                final BinlogPosition ack = new BinlogPosition(
                        String.format("mysql-bin.%06d", Math.max(1, file - random.nextInt(2))),
                        Math.max(4, nextOffset + random.nextInt(200) - 150));
                if (watermarks.get(id) == null || ack.compareTo(watermarks.get(id)) > 0) {
                    watermarks.put(id, ack);
                }
                state.ack(now[0], id, ack);
            } else if (op < 68) {
                final String id = "r" + random.nextInt(4);
                final BinlogPosition start = new BinlogPosition(
                        String.format("mysql-bin.%06d", file), Math.max(4, nextOffset - random.nextInt(500)));
                watermarks.merge(id, start, BinlogPosition::max);
                state.replicaConnected(now[0], id, start);
            } else if (op < 74 && !watermarks.isEmpty()) {
                final String id = new ArrayList<>(watermarks.keySet()).get(random.nextInt(watermarks.size()));
                watermarks.remove(id);
                state.replicaDisconnected(now[0], id);
            } else if (op < 95) {
                now[0] += TimeUnit.MILLISECONDS.toNanos(random.nextInt(20));
                state.tick(now[0]);
            } else {
                final SemiSyncSettings s = settings[0];
                settings[0] = switch (random.nextInt(5)) {
                    case 0 -> s.withWaitForSlaveCount(1 + random.nextInt(3));
                    case 1 -> s.withTimeoutMillis(1 + random.nextInt(50));
                    case 2 -> s.withWaitNoSlave(random.nextBoolean());
                    case 3 -> s.withEnforced(random.nextInt(4) == 0);
                    default -> s.withEnabled(random.nextInt(4) != 0);
                };
                state.configure(now[0], settings[0]);
            }
            acknowledged[0] = BinlogPosition.max(acknowledged[0], quorum(watermarks, settings[0].waitForSlaveCount()));
            for (Commit c : commits) {
                assertThat(c.releases.size())
                        .as("run %d: released more than once", run)
                        .isLessThanOrEqualTo(1);
            }
        }
        state.shutdown(now[0]);
        long yes = 0;
        long no = 0;
        for (Commit c : commits) {
            assertThat(c.releases).as("run %d: released exactly once", run).hasSize(1);
            switch (c.releases.get(0)) {
                case ACKNOWLEDGED -> yes++;
                case DISABLED -> {}
                default -> no++;
            }
        }
        final SemiSyncStatus s = state.snapshot();
        assertThat(s.yesTx()).isEqualTo(yes);
        assertThat(s.noTx()).isEqualTo(no);
        assertThat(s.waitSessions()).isZero();
    }

    private static BinlogPosition quorum(final Map<String, BinlogPosition> watermarks, final int n) {
        final List<BinlogPosition> marks = new ArrayList<>(watermarks.values());
        if (marks.size() < n) {
            return null;
        }
        marks.sort(null);
        return marks.get(marks.size() - n);
    }
}
