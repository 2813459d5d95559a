package org.semisync.proxy.binlog;

import com.lmax.disruptor.RingBuffer;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.semisync.ack.BinlogPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Disruptor ring between the tail (one producer at a time) and the replicas. The producer does all the ring's work
 * on its own thread: it reports each transaction end to {@link ReplicationEvents} and wakes the replica readers, once
 * per transaction (and per {@value #WAKE_BYTES} bytes of a large one) rather than per event. There are no handler
 * threads: each hop to another thread costs a futex wake and a context switch per transaction, which on a small
 * machine was most of the relay's CPU. Replicas do not gate the ring: each reads published slots at its own pace by
 * sequence ({@link #read}), so a slow or stuck replica never holds the tail or the others back.
 *
 * <p>The ring keeps at most {@code bytes} of events besides the newest one (and at most its slot count of them, see
 * {@link #slotsFor}): after each publish the producer drops the oldest events past that budget, so memory is bounded by
 * bytes plus one event whatever the event sizes. A reader whose next event was dropped has fallen behind the ring and
 * must continue from elsewhere (the master).
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

    /** Average event size the slot count is derived for: smaller events fill the slots before the bytes. */
    static final int BYTES_PER_SLOT = 256;

    static final int MIN_SLOTS = 64;
    static final int MAX_SLOTS = 1 << 22;

    /** Slots for a ring of {@code bytes}: one per {@value #BYTES_PER_SLOT} bytes, a power of two, 64 … 4 Mi. */
    public static int slotsFor(final long bytes) {
        final long wanted = Math.max(MIN_SLOTS, Math.min(MAX_SLOTS, bytes / BYTES_PER_SLOT));
        final long power = Long.highestOneBit(wanted);
        return (int) (power == wanted ? power : power << 1);
    }

    /** Readers are woken at least once per this many bytes of events inside one transaction. */
    static final int WAKE_BYTES = 64 << 10;

    private final RingBuffer<Slot> ring;
    private final ReplicationEvents events;
    private final CopyOnWriteArrayList<Runnable> readers = new CopyOnWriteArrayList<>();
    private final long maxBytes;
    /** Bytes published since readers were last woken; producer only. */
    private long unannounced;
    /**
     * Newest sequence whose slot is written; producer only. Not the Disruptor's cursor: with a multi-producer sequencer
     * that is the newest <em>claimed</em> sequence, whose slot a reader may find still holding the previous lap.
     */
    private volatile long newest = -1;
    /** Sequence of the newest event that ends a transaction, -1 before the first; written by the producer only. */
    private volatile long newestTransactionEnd = -1;
    /** Oldest sequence still held; written by the producer only. */
    private volatile long oldest;
    /** Bytes of the events from {@link #oldest} to the newest; producer only. */
    private long heldBytes;

    /** A ring of at most {@code bytes} of events, with {@link #slotsFor}({@code bytes}) slots. */
    public BinlogRing(final long bytes, final ReplicationEvents events) {
        this(slotsFor(bytes), bytes, events);
    }

    /**
     * @param size slots (a power of two)
     * @param bytes the most bytes of events held
     */
    public BinlogRing(final int size, final long bytes, final ReplicationEvents events) {
        this.events = Objects.requireNonNull(events, "events");
        if (bytes < 1) {
            throw new IllegalArgumentException("ring bytes must be positive, got " + bytes);
        }
        this.maxBytes = bytes;
        // One producer at a time, but not always the same thread: the binlog client reads on a new thread after it
        // reconnects (master restart), which a single-producer sequencer does not allow.
        this.ring = RingBuffer.createMultiProducer(Slot::new, size);
        LOG.info("ring - started: up to {} bytes of events in {} slots", bytes, size);
    }

    /**
     * Publishes one event, drops the oldest events past the byte budget, reports a transaction end and wakes the
     * readers at the end of a transaction or between transactions. Never blocks. One producer at a time.
     */
    public void publish(final RawEvent event) {
        final long sequence = ring.next();
        final Slot slot = ring.get(sequence);
        final Entry replaced = slot.entry;
        if (replaced != null && replaced.sequence() >= oldest) {
            // the slot count, not the bytes, ends this event's time in the ring
            heldBytes -= replaced.event().bytes().length;
            oldest = replaced.sequence() + 1;
        }
        slot.set(new Entry(sequence, event));
        heldBytes += event.bytes().length;
        // before the readers are woken: a reader must find the event published
        if (event.endsTransaction()) {
            newestTransactionEnd = sequence;
        }
        newest = sequence;
        ring.publish(sequence);
        trim(sequence, event.bytes().length);
        if (event.endsTransaction()) {
            // before the wake-up: the tracker knows the transaction before a replica can ACK it
            events.transactionEnded(event.gtid(), event.file(), event.endPosition());
        }
        unannounced += event.bytes().length;
        // inside a transaction a replica can do nothing with the events before its end: one wake-up per transaction
        if (event.endsTransaction() || event.gtid() == null || unannounced >= WAKE_BYTES) {
            unannounced = 0;
            readers.forEach(Runnable::run);
        }
    }

    /**
     * Drops the oldest events while the ones before the newest are over the budget. The newest event counts apart, so a row larger than the ring does not evict the events readers right
     * behind it still need.
     */
    private void trim(final long newest, final int newestLength) {
        if (heldBytes - newestLength <= maxBytes) {
            return;
        }
        long first = oldest;
        while (heldBytes - newestLength > maxBytes && first < newest) {
            final Slot slot = ring.get(first);
            final Entry entry = slot.entry;
            if (entry != null && entry.sequence() == first) {
                heldBytes -= entry.event().bytes().length;
                slot.set(null);
            }
            first++;
        }
        oldest = first;
    }

    /** Sequence of the newest published event that ends a transaction, -1 before the first. */
    public long newestTransactionEnd() {
        return newestTransactionEnd;
    }

    /** Sequence of the last published event, -1 before the first. */
    public long published() {
        return newest;
    }

    /** Oldest sequence that may still be read. */
    public long oldest() {
        return Math.max(oldest, published() - ring.getBufferSize() + 1);
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
        if (sequence < oldest) {
            return null;
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
        final BinlogPosition wanted = new BinlogPosition(file, position);
        final RawEvent first = read(oldest());
        if (first != null && wanted.compareTo(new BinlogPosition(first.file(), first.startPosition())) < 0) {
            return -1;
        }
        // ... and a replica catching up from the master may be ahead of the tail
        final long newestSequence = published();
        final RawEvent newest = read(newestSequence);
        if (newest != null && wanted.compareTo(new BinlogPosition(newest.file(), newest.startPosition())) > 0) {
            return -1;
        }
        for (long s = newestSequence; s >= oldest(); s--) {
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

    /**
     * Registers a wake-up run on the producer's thread after each transaction is published; it must only hand off
     * work (e.g. to an event loop).
     */
    public void addReader(final Runnable wakeUp) {
        readers.add(wakeUp);
    }

    public void removeReader(final Runnable wakeUp) {
        readers.remove(wakeUp);
    }

    /** Slot count. */
    public int size() {
        return ring.getBufferSize();
    }

    /** The most bytes of events held. */
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public void close() {
        readers.clear();
        LOG.info("ring - stopped");
    }
}
