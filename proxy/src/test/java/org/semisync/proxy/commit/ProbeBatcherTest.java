package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One probe in flight; every request made before a probe was sent is answered by that probe or a later one. */
class ProbeBatcherTest {
    @Test
    void requestsWhileAProbeIsInFlightWaitForTheNextOne() {
        final List<CompletableFuture<Long>> probes = new ArrayList<>();
        final ProbeBatcher<Long> batcher = new ProbeBatcher<>(() -> {
            final CompletableFuture<Long> f = new CompletableFuture<>();
            probes.add(f);
            return f;
        });
        final List<String> got = new ArrayList<>();
        batcher.request((pos, err) -> got.add("a@" + pos));
        assertThat(probes).hasSize(1);
        batcher.request((pos, err) -> got.add("b@" + pos));
        batcher.request((pos, err) -> got.add("c@" + pos));
        assertThat(probes).as("one in flight").hasSize(1);
        probes.get(0).complete(100L);
        assertThat(got).containsExactly("a@100");
        assertThat(probes).as("b and c share the second probe").hasSize(2);
        probes.get(1).complete(200L);
        assertThat(got).containsExactly("a@100", "b@200", "c@200");
        assertThat(batcher.probesSent()).isEqualTo(2);
        batcher.request((pos, err) -> got.add("d@" + pos));
        assertThat(probes).hasSize(3);
    }

    @Test
    void failuresReachTheBatchAndTheNextProbeStillRuns() {
        final List<CompletableFuture<Long>> probes = new ArrayList<>();
        final ProbeBatcher<Long> batcher = new ProbeBatcher<>(() -> {
            final CompletableFuture<Long> f = new CompletableFuture<>();
            probes.add(f);
            return f;
        });
        final List<String> got = new ArrayList<>();
        batcher.request((pos, err) -> got.add(err == null ? "a@" + pos : "a!" + err.getMessage()));
        batcher.request((pos, err) -> {
            throw new IllegalStateException("faulty waiter");
        });
        batcher.request((pos, err) -> got.add("c@" + pos));
        probes.get(0).completeExceptionally(new RuntimeException("master gone"));
        assertThat(got).containsExactly("a!master gone");
        probes.get(1).complete(7L);
        assertThat(got).containsExactly("a!master gone", "c@7");
        batcher.request((pos, err) -> got.add("d@" + pos));
        assertThat(probes).as("not stuck in flight after a throwing callback").hasSize(3);
    }

    @Test
    void aProbeThatThrowsOnStartFailsItsBatch() {
        final ProbeBatcher<Long> batcher = new ProbeBatcher<>(() -> {
            throw new IllegalStateException("pool closed");
        });
        final List<Throwable> errors = new ArrayList<>();
        batcher.request((pos, err) -> errors.add(err));
        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessage("pool closed"));
    }

    @Test
    void concurrentRequestsAreEachAnsweredByAProbeSentAfterThem() throws Exception {
        // the "master position" only grows; a request must get a value read after it was made
        final AtomicLong masterPosition = new AtomicLong();
        final ExecutorService pool = Executors.newSingleThreadExecutor();
        final ProbeBatcher<Long> batcher =
                new ProbeBatcher<>(() -> CompletableFuture.supplyAsync(masterPosition::get, pool));
        final int threads = 4;
        final int perThread = 2000;
        final CountDownLatch done = new CountDownLatch(threads * perThread);
        final List<String> violations = new CopyOnWriteArrayList<>();
        final ExecutorService clients = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            clients.execute(() -> {
                for (int i = 0; i < perThread; i++) {
                    final long committed = masterPosition.incrementAndGet();
                    batcher.request((pos, err) -> {
                        if (err != null || pos < committed) {
                            violations.add(committed + " answered with " + pos + " / " + err);
                        }
                        done.countDown();
                    });
                }
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        clients.shutdown();
        pool.shutdown();
        assertThat(violations).isEmpty();
        assertThat(batcher.probesSent()).isLessThan((long) threads * perThread);
    }
}
