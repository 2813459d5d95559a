package org.semisync.ack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OrderedWaitersTest {
    private static Waiter at(final long deadline) {
        final Waiter w = Waiter.forPosition(null, Runnable::run, (o, n) -> {});
        w.start(0, deadline);
        return w;
    }

    private static OrderedWaiters byDeadline() {
        return new OrderedWaiters((a, b) -> Long.compare(a.deadlineNanos, b.deadlineNanos));
    }

    @Test
    void outOfOrderWaitersGoAfterTheirEqualsAndBeforeLaterOnes() {
        final OrderedWaiters q = byDeadline();
        final Waiter a10 = at(10);
        final Waiter b20 = at(20);
        final Waiter c30 = at(30);
        final Waiter d20 = at(20);
        final Waiter e5 = at(5);
        assertThat(q.add(a10)).isTrue();
        assertThat(q.add(b20)).isTrue();
        assertThat(q.add(c30)).isTrue();
        assertThat(q.add(d20)).isFalse();
        assertThat(q.add(e5)).isFalse();
        final List<Waiter> out = new ArrayList<>();
        while (!q.isEmpty()) {
            out.add(q.poll());
        }
        assertThat(out).containsExactly(e5, a10, b20, d20, c30);
        assertThat(q.peek()).isNull();
    }

    /** Against a stable sort, across growth and the ring's wrap-around (polls interleaved with adds). */
    @Test
    void randomMostlyOrderedInputComesOutStablySorted() {
        final Random random = new Random(7);
        final OrderedWaiters q = byDeadline();
        final List<Waiter> model = new ArrayList<>();
        long key = 0;
        for (int step = 0; step < 20_000; step++) {
            if (random.nextInt(3) == 0 && !model.isEmpty()) {
                assertThat(q.poll()).isSameAs(model.remove(0));
            } else {
                key += random.nextInt(4);
                final Waiter w = at(random.nextInt(10) == 0 ? key - random.nextInt(20) : key);
                model.add(w);
                model.sort(Comparator.comparingLong(x -> x.deadlineNanos)); // List.sort is stable
                q.add(w);
            }
            assertThat(q.size()).isEqualTo(model.size());
        }
        for (int i = 0; i < model.size(); i++) {
            assertThat(q.get(i)).isSameAs(model.get(i));
        }
        q.clear();
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.add(at(1))).isTrue();
    }
}
