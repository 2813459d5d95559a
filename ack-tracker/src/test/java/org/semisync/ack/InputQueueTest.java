package org.semisync.ack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InputQueueTest {
    private static final BinlogPosition END = new BinlogPosition("mysql-bin.000001", 4);

    private static TrackerEvent ack() {
        return new TrackerEvent(TrackerEvent.Type.ACK, END, null, "r1", null, null, null);
    }

    @Test
    void inputsComeOutInTheOrderTheyWentIn() {
        final InputQueue queue = new InputQueue();
        final TrackerEvent first = ack();
        final TrackerEvent second = Waiter.forPosition(END, Runnable::run, (o, n) -> {});
        queue.offer(first);
        queue.offer(second);
        assertThat(queue.poll()).isSameAs(first);
        assertThat(queue.poll()).isSameAs(second);
        assertThat(queue.poll()).isNull();
    }

    @Test
    void aPolledInputDoesNotKeepTheInputsAfterItReachable() {
        // a waiter is an input too, held for up to the timeout: linked to the next input, it would keep every input
        // queued after it alive
        final InputQueue queue = new InputQueue();
        final Waiter held = Waiter.forPosition(END, Runnable::run, (o, n) -> {});
        queue.offer(held);
        queue.offer(ack());
        queue.offer(ack());
        assertThat(queue.poll()).isSameAs(held);
        queue.poll();
        assertThat(held.next).isNull();
    }
}
