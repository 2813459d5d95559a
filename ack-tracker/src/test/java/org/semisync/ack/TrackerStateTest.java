package org.semisync.ack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TrackerStateTest {
    private static final Executor DIRECT = Runnable::run;

    private long now = 1_000_000_000L;
    private final List<String> released = new ArrayList<>();
    private TrackerState state = new TrackerState(SemiSyncSettings.DEFAULTS, (o, n) -> {});

    private static BinlogPosition pos(final String text) {
        return BinlogPosition.parse(text);
    }

    private CommitListener named(final String name) {
        return (outcome, nanos) -> released.add(name + "=" + outcome);
    }

    private void waitFor(final String name, final String position) {
        state.await(now, Waiter.forPosition(pos(position), DIRECT, named(name)));
    }

    private void advance(final long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
        state.tick(now);
    }

    private TrackerState with(final SemiSyncSettings settings) {
        state = new TrackerState(settings, (o, n) -> {});
        return state;
    }

    @Test
    void ackAtOrPastTheEndPositionReleasesTheCommit() {
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        waitFor("c1", "mysql-bin.000001:500");
        assertThat(released).isEmpty();
        state.ack(now, "r1", pos("mysql-bin.000001:499"));
        assertThat(released).isEmpty();
        state.ack(now, "r1", pos("mysql-bin.000001:500"));
        assertThat(released).containsExactly("c1=ACKNOWLEDGED");
        final SemiSyncStatus s = state.snapshot();
        assertThat(s.yesTx()).isEqualTo(1);
        assertThat(s.txWaits()).isEqualTo(1);
        assertThat(s.waitSessions()).isZero();
        assertThat(s.requestAck()).isEqualTo(1);
        assertThat(s.getAck()).isEqualTo(2);
    }

    @Test
    void anAckReleasesExactlyTheCoveredPrefixInPositionOrder() {
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        waitFor("c3", "mysql-bin.000001:300");
        waitFor("c1", "mysql-bin.000001:100");
        waitFor("c2", "mysql-bin.000001:200");
        state.ack(now, "r1", pos("mysql-bin.000001:250"));
        assertThat(released).containsExactly("c1=ACKNOWLEDGED", "c2=ACKNOWLEDGED");
        assertThat(state.snapshot().waitSessions()).isEqualTo(1);
        assertThat(state.snapshot().waitPosBacktraverse()).isEqualTo(1);
    }

    /** What the relay asks ACKs from: the lowest position a commit that is still held waits for. */
    @Test
    void theSnapshotTellsTheLowestPositionStillWaitedFor() {
        assertThat(state.snapshot().lowestWaiting()).isNull();
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        waitFor("c2", "mysql-bin.000001:200");
        waitFor("c1", "mysql-bin.000001:100");
        waitFor("c3", "mysql-bin.000002:50");
        assertThat(state.snapshot().lowestWaiting()).isEqualTo(pos("mysql-bin.000001:100"));
        state.ack(now, "r1", pos("mysql-bin.000001:150"));
        assertThat(state.snapshot().lowestWaiting()).isEqualTo(pos("mysql-bin.000001:200"));
        // the first times out and semi-sync goes OFF, which lets the other go: neither is waited for now
        advance(SemiSyncSettings.DEFAULTS.timeoutMillis() + 1);
        assertThat(released).containsExactly("c1=ACKNOWLEDGED", "c2=TIMED_OUT", "c3=ASYNC");
        assertThat(state.snapshot().lowestWaiting()).isNull();
    }

    @Test
    void positionsAreOrderedAcrossRotations() {
        state.replicaConnected(now, "r1", pos("mysql-bin.000009:4"));
        waitFor("c", "mysql-bin.000010:100");
        state.ack(now, "r1", pos("mysql-bin.000009:999999"));
        assertThat(released).isEmpty();
        state.ack(now, "r1", pos("mysql-bin.000011:4"));
        assertThat(released).containsExactly("c=ACKNOWLEDGED");
    }

    @Test
    void gtidReportedAfterTheWaiterOrBeforeItOrAfterTheAck() {
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        state.await(now, Waiter.forGtid(Gtid.parse("0-1-7"), DIRECT, named("after")));
        state.transactionCommitted(now, Gtid.parse("0-1-7"), pos("mysql-bin.000001:700"));
        assertThat(released).isEmpty();
        state.transactionCommitted(now, Gtid.parse("0-1-8"), pos("mysql-bin.000001:800"));
        state.await(now, Waiter.forGtid(Gtid.parse("0-1-8"), DIRECT, named("before")));
        assertThat(released).isEmpty();
        state.ack(now, "r1", pos("mysql-bin.000001:900"));
        assertThat(released).containsExactly("after=ACKNOWLEDGED", "before=ACKNOWLEDGED");
        // the ACK already covers 0-1-9's end when both the report and the waiter arrive
        state.transactionCommitted(now, Gtid.parse("0-1-9"), pos("mysql-bin.000001:850"));
        state.await(now, Waiter.forGtid(Gtid.parse("0-1-9"), DIRECT, named("late")));
        assertThat(released).endsWith("late=ACKNOWLEDGED");
        // MySQL GTIDs work the same way
        state.await(now, Waiter.forGtid(Gtid.parse("3E11FA47-71CA-11E1-9E33-C80AA9429562:23"), DIRECT, named("mysql")));
        state.transactionCommitted(
                now, Gtid.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:23"), pos("mysql-bin.000001:880"));
        assertThat(released).endsWith("mysql=ACKNOWLEDGED");
    }

    @Test
    void quorumIsTheNthHighestWatermark() {
        with(SemiSyncSettings.DEFAULTS.withWaitForSlaveCount(2));
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        state.replicaConnected(now, "r2", pos("mysql-bin.000001:4"));
        state.replicaConnected(now, "r3", pos("mysql-bin.000001:4"));
        waitFor("c", "mysql-bin.000001:100");
        state.ack(now, "r1", pos("mysql-bin.000001:500"));
        assertThat(released).isEmpty();
        state.ack(now, "r3", pos("mysql-bin.000001:100"));
        assertThat(released).containsExactly("c=ACKNOWLEDGED");
        assertThat(state.snapshot().quorumPosition()).isEqualTo(pos("mysql-bin.000001:100"));
    }

    @Test
    void backwardAcksAreIgnoredAndAcksBeyondTheNewestCommitCount() {
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        state.ack(now, "r1", pos("mysql-bin.000002:50"));
        state.ack(now, "r1", pos("mysql-bin.000001:900"));
        assertThat(state.snapshot().replicas().get(0).watermark()).isEqualTo(pos("mysql-bin.000002:50"));
        assertThat(state.snapshot().replicas().get(0).acks()).isEqualTo(2);
        waitFor("c", "mysql-bin.000001:1000");
        assertThat(released).containsExactly("c=ACKNOWLEDGED");
        assertThat(state.snapshot().txWaits()).isZero();
    }

    @Test
    void replicaThatHoldsTheQuorumDisconnects() {
        with(SemiSyncSettings.DEFAULTS.withWaitForSlaveCount(2));
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        state.replicaConnected(now, "r2", pos("mysql-bin.000001:4"));
        state.ack(now, "r2", pos("mysql-bin.000001:400"));
        waitFor("c", "mysql-bin.000001:300");
        state.replicaDisconnected(now, "r2");
        state.ack(now, "r1", pos("mysql-bin.000001:300"));
        assertThat(released).isEmpty();
        assertThat(state.snapshot().clients()).isEqualTo(1);
        state.replicaConnected(now, "r3", pos("mysql-bin.000001:350"));
        assertThat(released).containsExactly("c=ACKNOWLEDGED");
    }

    @Test
    void whatTheQuorumAcknowledgedStaysAcknowledgedAfterItsReplicasLeave() {
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        state.ack(now, "r1", pos("mysql-bin.000001:500"));
        state.replicaDisconnected(now, "r1");
        assertThat(state.snapshot().clients()).isZero();
        waitFor("old", "mysql-bin.000001:500");
        assertThat(released).containsExactly("old=ACKNOWLEDGED");
        waitFor("new", "mysql-bin.000001:501");
        assertThat(released).hasSize(1);
        assertThat(state.snapshot().waitSessions()).isEqualTo(1);
        assertThat(state.snapshot().on()).isTrue();
    }

    @Test
    void heldReadsWaitLikeCommitsButAreNotCountedAsTransactions() {
        with(SemiSyncSettings.DEFAULTS.withTimeoutMillis(1000));
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        state.ack(now, "r1", pos("mysql-bin.000001:100"));
        state.await(now, Waiter.forRead(pos("mysql-bin.000001:100"), DIRECT, named("covered")));
        state.await(now, Waiter.forRead(pos("mysql-bin.000001:200"), DIRECT, named("read")));
        assertThat(released).containsExactly("covered=ACKNOWLEDGED");
        assertThat(state.snapshot().readsWaiting()).isEqualTo(1);
        assertThat(state.snapshot().waitSessions()).isZero();
        state.ack(now, "r1", pos("mysql-bin.000001:200"));
        assertThat(released).containsExactly("covered=ACKNOWLEDGED", "read=ACKNOWLEDGED");
        state.await(now, Waiter.forRead(pos("mysql-bin.000001:300"), DIRECT, named("late")));
        advance(1000);
        assertThat(released).endsWith("late=TIMED_OUT");
        final SemiSyncStatus s = state.snapshot();
        assertThat(s.on())
                .as("a held read that times out switches OFF, as a commit does")
                .isFalse();
        assertThat(s.readsWaiting()).isZero();
        assertThat(s.readWaits()).isEqualTo(2);
        assertThat(s.yesTx()).isZero();
        assertThat(s.noTx()).isZero();
        assertThat(s.requestAck()).isZero();
    }

    @Test
    void timeoutSwitchesOffReleasesEveryWaiterAndComesBackOnAtTheNewestCommit() {
        with(SemiSyncSettings.DEFAULTS.withTimeoutMillis(2000));
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        state.transactionCommitted(now, null, pos("mysql-bin.000001:100"));
        waitFor("c1", "mysql-bin.000001:100");
        advance(1000);
        state.transactionCommitted(now, null, pos("mysql-bin.000001:200"));
        waitFor("c2", "mysql-bin.000001:200");
        advance(999);
        assertThat(released).isEmpty();
        advance(1);
        assertThat(released).containsExactly("c1=TIMED_OUT", "c2=ASYNC");
        SemiSyncStatus s = state.snapshot();
        assertThat(s.on()).isFalse();
        assertThat(s.noTimes()).isEqualTo(1);
        assertThat(s.noTx()).isEqualTo(2);
        assertThat(s.waitSessions()).isZero();

        state.transactionCommitted(now, null, pos("mysql-bin.000001:300"));
        waitFor("c3", "mysql-bin.000001:300");
        assertThat(released).endsWith("c3=ASYNC");
        state.ack(now, "r1", pos("mysql-bin.000001:200"));
        assertThat(state.snapshot().on()).isFalse();
        state.ack(now, "r1", pos("mysql-bin.000001:300"));
        assertThat(state.snapshot().on()).isTrue();
        state.transactionCommitted(now, null, pos("mysql-bin.000001:400"));
        waitFor("c4", "mysql-bin.000001:400");
        state.ack(now, "r1", pos("mysql-bin.000001:400"));
        assertThat(released).endsWith("c4=ACKNOWLEDGED");
        s = state.snapshot();
        assertThat(s.yesTx()).isEqualTo(1);
        assertThat(s.noTx()).isEqualTo(3);
    }

    @Test
    void timeoutWhileOtherWaitersAreSatisfied() {
        with(SemiSyncSettings.DEFAULTS.withTimeoutMillis(100));
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        waitFor("early", "mysql-bin.000001:100");
        waitFor("late", "mysql-bin.000001:900");
        state.ack(now, "r1", pos("mysql-bin.000001:100"));
        advance(100);
        assertThat(released).containsExactly("early=ACKNOWLEDGED", "late=TIMED_OUT");
    }

    @Test
    void waitNoSlaveOffWithTooFewReplicasDoesNotHoldAndKeepsTheStatusLikeThePlugin() {
        with(SemiSyncSettings.DEFAULTS.withWaitNoSlave(false));
        waitFor("c", "mysql-bin.000001:100");
        assertThat(released).containsExactly("c=ASYNC");
        SemiSyncStatus s = state.snapshot();
        // the plugin's commit_trx: no client and wait_no_slave OFF -> no_tx, at once; the status is not touched
        assertThat(s.on()).isTrue();
        assertThat(s.noTimes()).isZero();
        assertThat(s.noTx()).isEqualTo(1);
        assertThat(s.requestAck()).as("written while ON").isEqualTo(1);
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:100"));
        waitFor("d", "mysql-bin.000001:200");
        assertThat(released).hasSize(1);
        state.replicaDisconnected(now, "r1");
        // the last replica leaving wakes the waiting commits, still without switching OFF
        assertThat(released).containsExactly("c=ASYNC", "d=ASYNC");
        assertThat(state.snapshot().on()).isTrue();
        assertThat(state.snapshot().noTimes()).isZero();
    }

    @Test
    void waitNoSlaveSwitchedOffWhileACommitWaitsDoesNotWakeIt() {
        with(SemiSyncSettings.DEFAULTS.withTimeoutMillis(1000));
        waitFor("c", "mysql-bin.000001:100");
        state.configure(now, SemiSyncSettings.DEFAULTS.withTimeoutMillis(1000).withWaitNoSlave(false));
        assertThat(released).isEmpty();
        advance(1000);
        assertThat(released).containsExactly("c=TIMED_OUT");
        assertThat(state.snapshot().on()).isFalse();
    }

    @Test
    void flushStatusResetsTheCountersThePluginResets() {
        with(SemiSyncSettings.DEFAULTS.withTimeoutMillis(100));
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        waitFor("c", "mysql-bin.000001:100");
        state.ack(now, "r1", pos("mysql-bin.000001:100"));
        state.ackRequested();
        waitFor("d", "mysql-bin.000001:200");
        advance(100);
        state.resetStats(now);
        final SemiSyncStatus s = state.snapshot();
        assertThat(List.of(s.yesTx(), s.noTx(), s.noTimes())).containsOnly(0L);
        // what the plugin leaves alone
        assertThat(s.netWaits()).isEqualTo(1);
        assertThat(s.txWaits()).isEqualTo(1);
        assertThat(s.requestAck()).isEqualTo(2);
        assertThat(s.getAck()).isEqualTo(1);
        assertThat(s.clients()).isEqualTo(1);
    }

    @Test
    void enforcedModeNeverFallsBack() {
        with(SemiSyncSettings.DEFAULTS.withTimeoutMillis(100).withEnforced(true).withWaitNoSlave(false));
        waitFor("c", "mysql-bin.000001:100");
        advance(60_000);
        assertThat(released).isEmpty();
        assertThat(state.snapshot().on()).isTrue();
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        state.ack(now, "r1", pos("mysql-bin.000001:100"));
        assertThat(released).containsExactly("c=ACKNOWLEDGED");
    }

    @Test
    void togglingVariablesAtRunTime() {
        with(SemiSyncSettings.DEFAULTS.withWaitForSlaveCount(2).withTimeoutMillis(1000));
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        state.replicaConnected(now, "r2", pos("mysql-bin.000001:4"));
        waitFor("c1", "mysql-bin.000001:100");
        state.ack(now, "r1", pos("mysql-bin.000001:100"));
        assertThat(released).isEmpty();
        state.configure(now, state.settings().withWaitForSlaveCount(1));
        assertThat(released).containsExactly("c1=ACKNOWLEDGED");

        waitFor("c2", "mysql-bin.000001:200");
        state.configure(now, state.settings().withTimeoutMillis(50));
        waitFor("c3", "mysql-bin.000001:300");
        advance(50);
        // c2 keeps the 1000 ms it started with, c3 has 50 ms: c3 times out first and takes c2 with it (OFF)
        assertThat(released).containsExactly("c1=ACKNOWLEDGED", "c3=TIMED_OUT", "c2=ASYNC");

        state.configure(now, state.settings().withEnabled(false));
        waitFor("c4", "mysql-bin.000001:400");
        assertThat(released).endsWith("c4=DISABLED");
        assertThat(state.snapshot().on()).isFalse();
        state.configure(now, state.settings().withEnabled(true));
        assertThat(state.snapshot().on()).isTrue();
        waitFor("c5", "mysql-bin.000001:500");
        state.configure(now, state.settings().withEnabled(false));
        assertThat(released).endsWith("c5=ASYNC");
    }

    @Test
    void shutdownReleasesPendingWaitersAsCountedAndLaterOnesAtOnce() {
        state.replicaConnected(now, "r1", pos("mysql-bin.000001:4"));
        waitFor("c1", "mysql-bin.000001:100");
        state.await(now, Waiter.forGtid(Gtid.parse("0-1-5"), DIRECT, named("c2")));
        state.shutdown(now);
        waitFor("c3", "mysql-bin.000001:300");
        assertThat(released).containsExactly("c1=SHUTDOWN", "c2=SHUTDOWN", "c3=SHUTDOWN");
        assertThat(state.snapshot().noTx()).isEqualTo(3);
        assertThat(state.snapshot().waitSessions()).isZero();
    }

    @Test
    void clockGoingBackwardsIsCounted() {
        state.tick(now);
        state.tick(now - 1);
        assertThat(state.snapshot().timefuncFailures()).isEqualTo(1);
    }

    @Test
    void theDumpStartPositionCountsAsAnAck() {
        waitFor("c", "mysql-bin.000003:120");
        state.replicaConnected(now, "r1", pos("mysql-bin.000003:120"));
        assertThat(released).containsExactly("c=ACKNOWLEDGED");
    }
}
