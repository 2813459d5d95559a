package org.semisync.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.WaitPoint;
import org.semisync.proxy.protocol.Packet;

/** The gate of an asynchronous replica in AFTER_SYNC, against a real tracker and an embedded channel. */
class AsyncReplicaGateTest {
    private static final String FILE = "mysql-bin.000001";
    private AckTracker tracker;
    private EmbeddedChannel channel;
    private final AtomicInteger resumed = new AtomicInteger();
    private AsyncReplicaGate gate;
    /** The tracker's answers, run by the test thread (an embedded channel's loop is not for other threads). */
    private final Queue<Runnable> loop = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() throws InterruptedException {
        tracker = AckTracker.builder()
                .settings(SemiSyncSettings.DEFAULTS.withTimeoutMillis(60_000).withWaitPoint(WaitPoint.AFTER_SYNC))
                .build()
                .start();
        tracker.replicaConnected("2", at(100));
        channel = new EmbeddedChannel();
        gate = new AsyncReplicaGate(tracker, channel, loop::add, resumed::incrementAndGet);
        await(() -> tracker.status().clients() == 1);
    }

    @AfterEach
    void stop() {
        tracker.close();
        channel.finishAndReleaseAll();
    }

    @Test
    void aTransactionEndWaitsForTheQuorumAndEverythingAfterItQueues() throws InterruptedException {
        gate.send(List.of(packet(1)), null);
        assertThat(written()).containsExactly(1);

        gate.send(List.of(packet(2)), at(200));
        gate.send(List.of(packet(3)), null);
        assertThat(gate.holding()).isTrue();
        settle();
        assertThat(written()).as("held until the quorum covers 200").isEmpty();

        tracker.ack("2", at(200));
        await(() -> {
            runLoop();
            return !gate.holding();
        });
        assertThat(written()).containsExactly(2, 3);
        assertThat(resumed).hasValue(1);

        // an end the quorum is known to cover passes without asking the tracker again
        gate.send(List.of(packet(4)), at(150));
        assertThat(gate.holding()).isFalse();
        assertThat(written()).containsExactly(4);
    }

    @Test
    void nothingIsHeldInAfterCommitOrWhileDisabled() throws InterruptedException {
        tracker.configure(tracker.status().settings().withWaitPoint(WaitPoint.AFTER_COMMIT));
        await(() -> tracker.status().settings().waitPoint() == WaitPoint.AFTER_COMMIT);
        gate.send(List.of(packet(1)), at(300));
        assertThat(written()).containsExactly(1);

        tracker.configure(
                tracker.status().settings().withWaitPoint(WaitPoint.AFTER_SYNC).withEnabled(false));
        await(() -> !tracker.status().settings().enabled());
        gate.send(List.of(packet(2)), at(400));
        assertThat(written()).containsExactly(2);
    }

    @Test
    void closingWhileHeldReleasesTheQueuedPackets() throws InterruptedException {
        final Packet held = packet(1);
        final Packet behind = packet(2);
        gate.send(List.of(held), at(500));
        gate.send(List.of(behind), null);
        gate.close();
        assertThat(held.refCnt()).isZero();
        assertThat(behind.refCnt()).isZero();
        final Packet late = packet(3);
        gate.send(List.of(late), null);
        assertThat(late.refCnt()).isZero();

        tracker.ack("2", at(500));
        settle();
        assertThat(written()).as("nothing is written after the close").isEmpty();
    }

    private static BinlogPosition at(final long offset) {
        return new BinlogPosition(FILE, offset);
    }

    private static Packet packet(final int marker) {
        return new Packet(1, Unpooled.buffer(1).writeByte(marker));
    }

    private void runLoop() {
        for (Runnable r; (r = loop.poll()) != null; ) {
            r.run();
        }
    }

    private List<Integer> written() {
        runLoop();
        channel.flush(); // the sources flush after a batch (the gate itself only after a hold)
        final List<Integer> markers = new ArrayList<>();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            final Packet p = (Packet) o;
            markers.add((int) p.payload().getByte(0));
            p.release();
        }
        return markers;
    }

    /** Lets the tracker thread and the channel's tasks run for a moment. */
    private void settle() throws InterruptedException {
        Thread.sleep(100);
        runLoop();
    }

    private static void await(final BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
