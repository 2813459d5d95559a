package org.semisync.ack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpinThenParkWaitStrategyTest {
    /**
     * With a 60 s tick the tracker thread parks for 60 s when idle: a lost unpark would leave the ACK unprocessed
     * far beyond the 5 s allowed here. Each round lets the thread go idle (spin over, parked) before the ACK.
     */
    @Test
    void anInputWakesAParkedTrackerWithoutWaitingForTheTick() throws Exception {
        try (AckTracker tracker =
                AckTracker.builder().tickMillis(60_000).build().start()) {
            tracker.replicaConnected("r1", new BinlogPosition("mysql-bin.000001", 4));
            for (int round = 1; round <= 20; round++) {
                final BinlogPosition end = new BinlogPosition("mysql-bin.000001", 4 + 100L * round);
                final CountDownLatch released = new CountDownLatch(1);
                tracker.awaitPosition(end, Runnable::run, (outcome, nanos) -> released.countDown());
                Thread.sleep(20);
                tracker.ack("r1", end);
                assertThat(released.await(5, TimeUnit.SECONDS))
                        .as("round %d released", round)
                        .isTrue();
            }
            assertThat(tracker.status().yesTx()).isEqualTo(20);
        }
    }
}
