package org.semisync.ack;

import java.util.Comparator;
import java.util.NoSuchElementException;

/**
 * Waiters in ascending order of a key, stable for equal keys (the earlier registered first). A ring-buffer deque:
 * waiters almost always arrive in key order (binlog order, registration-ordered deadlines), so adding is an append and
 * releasing a prefix is a poll, O(1) without allocation. An out-of-order waiter is the fallback: binary search for
 * its place after every waiter with an equal or smaller key, and shift the later ones by one (they are few: the ones
 * registered since, e.g. a commit whose position probe raced another session's).
 */
final class OrderedWaiters {
    private final Comparator<Waiter> order;
    private Waiter[] slots = new Waiter[64];
    private int head;
    private int size;

    OrderedWaiters(final Comparator<Waiter> order) {
        this.order = order;
    }

    /** Adds {@code w} after every waiter that does not sort after it; returns false when that was not the end. */
    boolean add(final Waiter w) {
        if (size == slots.length) {
            grow();
        }
        if (size == 0 || order.compare(get(size - 1), w) <= 0) {
            slots[index(size)] = w;
            size++;
            return true;
        }
        final int at = upperBound(w);
        for (int i = size; i > at; i--) {
            slots[index(i)] = slots[index(i - 1)];
        }
        slots[index(at)] = w;
        size++;
        return false;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The {@code i}-th waiter in order (0 is the first). */
    Waiter get(final int i) {
        return slots[index(i)];
    }

    /** The first waiter, or null when empty. */
    Waiter peek() {
        return size == 0 ? null : slots[head];
    }

    Waiter poll() {
        if (size == 0) {
            throw new NoSuchElementException();
        }
        final Waiter w = slots[head];
        slots[head] = null;
        head = (head + 1) & (slots.length - 1);
        size--;
        return w;
    }

    void clear() {
        while (size > 0) {
            poll();
        }
        head = 0;
    }

    /** The first position whose waiter sorts after {@code w}; the last one does. */
    private int upperBound(final Waiter w) {
        int lo = 0;
        int hi = size - 1;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (order.compare(get(mid), w) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void grow() {
        final Waiter[] bigger = new Waiter[slots.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = get(i);
        }
        slots = bigger;
        head = 0;
    }

    private int index(final int i) {
        return (head + i) & (slots.length - 1);
    }
}
