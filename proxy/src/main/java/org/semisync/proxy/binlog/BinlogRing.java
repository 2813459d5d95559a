package org.semisync.proxy.binlog;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import org.semisync.ack.BinlogPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Disruptor ring between the tail (one producer at a time) and the replicas. Two handlers gate the producer, and both are
 * quick and never block: one reports transaction ends to {@link ReplicationEvents}; one wakes the replica readers.
 * Replicas do not gate the ring: each reads published slots at its own pace by sequence ({@link #read}), so a slow or
 * stuck replica never holds the tail or the others back. A replica that falls a ring-length behind finds its slot
 * overwritten and must move to catch-up.
 */
public final class BinlogRing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BinlogRing.class);

    /** One ring slot; the entry is replaced whole, so a reader sees a consistent sequence/event pair. */
    static final class Slot {
        private volatile Entry entry;

        void set(final Entry value) {
            entry = value;
        }
    }

    private record Entry(long sequence, RawEvent event) {}

    private final Disruptor<Slot> disruptor;
    private final RingBuffer<Slot> ring;
    private final CopyOnWriteArrayList<Runnable> readers = new CopyOnWriteArrayList<>();
    private volatile Throwable failure;

    public BinlogRing(final int size, final ReplicationEvents events, final ThreadFactory threads) {
        Objects.requireNonNull(events, "events");
        // One producer at a time, but not always the same thread: the binlog client reads on a new thread after it
        // reconnects (master restart), which a SINGLE-producer ring does not allow.
        disruptor = new Disruptor<>(Slot::new, size, threads, ProducerType.MULTI, new BlockingWaitStrategy());
        final EventHandler<Slot> transactionEnds = (slot, sequence, endOfBatch) -> {
            final RawEvent event = slot.entry.event();
            if (event.endsTransaction()) {
                events.transactionEnded(event.gtid(), event.file(), event.endPosition());
            }
        };
        final EventHandler<Slot> wakeReaders = (slot, sequence, endOfBatch) -> {
            if (endOfBatch) {
                readers.forEach(Runnable::run);
            }
        };
        disruptor.handleEventsWith(transactionEnds, wakeReaders);
        disruptor.setDefaultExceptionHandler(new RecordFailure());
        ring = disruptor.start();
        LOG.info("ring - started with {} slots", size);
    }

    /** Publishes one event; blocks only while a ring handler (never a replica) is a ring-length behind. */
    public void publish(final RawEvent event) {
        if (failure != null) {
            throw new BinlogCaptureException("ring handler failed earlier", failure);
        }
        final long sequence = ring.next();
        ring.get(sequence).set(new Entry(sequence, event));
        ring.publish(sequence);
    }

    /** Sequence of the last published event, -1 before the first. */
    public long published() {
        return ring.getCursor();
    }

    /** Oldest sequence that may still be read. */
    public long oldest() {
        return Math.max(0, published() - ring.getBufferSize() + 1);
    }

    /**
     * The event at {@code sequence}, or {@code null} if it was overwritten (the reader fell a ring-length behind).
     *
     * @throws IllegalArgumentException if {@code sequence} is not published yet
     */
    public RawEvent read(final long sequence) {
        if (sequence > published()) {
            throw new IllegalArgumentException("sequence " + sequence + " is not published yet");
        }
        final Entry entry = ring.get(sequence).entry;
        return entry != null && entry.sequence() == sequence ? entry.event() : null;
    }

    /**
     * First sequence whose event starts at {@code file:position}, or -1 when the ring no longer (or not yet) holds it.
     */
    public long find(final String file, final long position) {
        if (published() < 0) {
            return -1;
        }
        // A replica catching up from before the ring asks at every event it receives: answer that case without
        // walking the whole ring (events are in binlog order).
        final RawEvent first = read(oldest());
        if (first != null
                && new BinlogPosition(file, position).compareTo(new BinlogPosition(first.file(), first.startPosition()))
                        < 0) {
            return -1;
        }
        for (long s = published(); s >= oldest(); s--) {
            final RawEvent event = read(s);
            if (event == null) {
                return -1;
            }
            if (event.file().equals(file) && event.startPosition() == position) {
                return s;
            }
            if (event.file().equals(file) && event.startPosition() < position) {
                return -1;
            }
        }
        return -1;
    }

    /** Registers a wake-up run after each published batch; it must only hand off work (e.g. to an event loop). */
    public void addReader(final Runnable wakeUp) {
        readers.add(wakeUp);
    }

    public void removeReader(final Runnable wakeUp) {
        readers.remove(wakeUp);
    }

    /** Ring capacity. */
    public int size() {
        return ring.getBufferSize();
    }

    @Override
    public void close() {
        disruptor.shutdown();
        LOG.info("ring - stopped");
    }

    /** A handler failure loses a transaction end or a wake-up: log it and make the next publish fail. */
    private final class RecordFailure implements ExceptionHandler<Slot> {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final Slot event) {
            LOG.error("ring - handler failed at sequence {}", sequence, ex);
            failure = ex;
        }

        @Override
        public void handleOnStartException(final Throwable ex) {
            LOG.error("ring - handler failed to start", ex);
            failure = ex;
        }

        @Override
        public void handleOnShutdownException(final Throwable ex) {
            LOG.error("ring - handler failed to stop", ex);
        }
    }
}
