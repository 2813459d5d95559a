package org.semisync.ack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SerialDrainTest {
    private static final BinlogPosition START = new BinlogPosition("mysql-bin.000001", 4);

    /** Records which input was applied on which thread, and each end of batch. */
    private static final class Recorder implements SerialDrain.Writer {
        final List<String> log = new CopyOnWriteArrayList<>();
        Consumer<TrackerEvent> onApply = e -> {};

        @Override
        public void apply(final TrackerEvent input) {
            log.add(input.replicaId + "@" + Thread.currentThread().getName());
            onApply.accept(input);
        }

        @Override
        public void endOfBatch() {
            log.add("end@" + Thread.currentThread().getName());
        }
    }

    private static TrackerEvent input(final String name) {
        return new TrackerEvent(TrackerEvent.Type.ACK, START, null, name, null, null, null);
    }

    @Test
    void withNobodyDrainingTheCallerAppliesItsInputBeforeSubmitReturns() {
        final Recorder writer = new Recorder();
        final SerialDrain drain = new SerialDrain(writer);
        final String me = Thread.currentThread().getName();
        drain.submit(input("a"));
        assertThat(writer.log).containsExactly("a@" + me, "end@" + me);
        assertThat(drain.backlog()).isZero();
    }

    @Test
    void anInputSubmittedWhileAnotherThreadDrainsIsAppliedByThatThreadAfterWhatItHolds() throws Exception {
        final Recorder writer = new Recorder();
        final SerialDrain drain = new SerialDrain(writer);
        final CountDownLatch applying = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        writer.onApply = e -> {
            if (e.replicaId.equals("a")) {
                applying.countDown();
                await(proceed);
            }
        };
        final Thread other = new Thread(() -> drain.submit(input("a")), "other");
        other.start();
        assertThat(applying.await(5, TimeUnit.SECONDS)).isTrue();

        drain.submit(input("b")); // returns at once: "other" drains
        assertThat(writer.log).containsExactly("a@other");
        assertThat(drain.backlog()).isEqualTo(2);

        proceed.countDown();
        other.join(5_000);
        // "other" found b queued behind a (one batch), then went round once more for b's request (an empty batch)
        assertThat(writer.log).containsExactly("a@other", "b@other", "end@other", "end@other");
        assertThat(drain.backlog()).isZero();
    }

    @Test
    void anInputSubmittedFromInsideTheDrainIsAppliedNextOnTheSameThread() {
        final Recorder writer = new Recorder();
        final SerialDrain drain = new SerialDrain(writer);
        writer.onApply = e -> {
            if (e.replicaId.equals("outer")) {
                assertThat(drain.drainingHere()).isTrue();
                drain.submit(input("inner")); // e.g. a release callback run inline that registers a commit
            }
        };
        final String me = Thread.currentThread().getName();
        drain.submit(input("outer"));
        // the inner input is queued (this thread drains) and applied in the same batch; its request ends one more
        assertThat(writer.log).containsExactly("outer@" + me, "inner@" + me, "end@" + me, "end@" + me);
        assertThat(drain.drainingHere()).isFalse();
    }

    private static void await(final CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
