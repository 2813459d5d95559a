package org.semisync.proxy.binlog;

import io.netty.buffer.ByteBuf;
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
 * <p>The events are kept in a {@link RingStore}: their bytes in one array of {@code bytes} written round and round,
 * not in an array per event, which every young collection copied (pauses of 50–120 ms under sysbench). A reader whose
 * next event was dropped has fallen behind the ring and must continue from elsewhere (the master).
 */
public final class BinlogRing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BinlogRing.class);

    /** Average event size the slot count is derived for: smaller events fill the slots before the bytes. */
    static final int BYTES_PER_SLOT = 256;

    static final int MIN_SLOTS = 64;
    static final int MAX_SLOTS = 1 << 22;
    /** The arena is one array. */
    public static final long MAX_BYTES = 1L << 30;

    /** Slots for a ring of {@code bytes}: one per {@value #BYTES_PER_SLOT} bytes, a power of two, 64 … 4 Mi. */
    public static int slotsFor(final long bytes) {
        final long wanted = Math.max(MIN_SLOTS, Math.min(MAX_SLOTS, bytes / BYTES_PER_SLOT));
        final long power = Long.highestOneBit(wanted);
        return (int) (power == wanted ? power : power << 1);
    }

    /** Readers are woken at least once per this many bytes of events inside one transaction. */
    static final int WAKE_BYTES = 64 << 10;

    /** {@link #copyTo}: the event was dropped (the reader fell behind the ring). */
    public static final int DROPPED = RingStore.DROPPED;
    /** {@link #copyTo}: the event does not fit in what is left of the buffer. */
    public static final int NO_ROOM = RingStore.NO_ROOM;

    private final RingStore store;
    private final ReplicationEvents events;
    private final CopyOnWriteArrayList<Runnable> readers = new CopyOnWriteArrayList<>();
    /** Bytes published since readers were last woken; producer only. */
    private long unannounced;
    /**
     * Newest sequence whose slot is written; producer only. Not the Disruptor's cursor: with a multi-producer sequencer
     * that is the newest <em>claimed</em> sequence, whose slot a reader may find still holding the previous lap.
     */
    private volatile long newest = -1;
    /** Sequence of the newest event that ends a transaction, -1 before the first; written by the producer only. */
    private volatile long newestTransactionEnd = -1;

    /** A ring of at most {@code bytes} of events, with {@link #slotsFor}({@code bytes}) slots. */
    public BinlogRing(final long bytes, final ReplicationEvents events) {
        this(slotsFor(bytes), bytes, events);
    }

    /**
     * @param size slots (a power of two)
     * @param bytes the arena's size, 1 byte to {@link #MAX_BYTES}
     */
    public BinlogRing(final int size, final long bytes, final ReplicationEvents events) {
        this.events = Objects.requireNonNull(events, "events");
        if (bytes < 1 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("ring bytes must be 1 to " + MAX_BYTES + ", got " + bytes);
        }
        this.store = new RingStore(size, (int) bytes);
        LOG.info("ring - started: up to {} bytes of events in {} slots", bytes, size);
    }

    /**
     * Publishes one event, drops the oldest events whose room it needs, reports a transaction end and wakes the
     * readers at the end of a transaction or between transactions. Never blocks. One producer at a time.
     */
    public void publish(final RawEvent event) {
        final long sequence = store.next();
        store.write(sequence, event);
        // before the readers are woken: a reader must find the event published
        if (event.endsTransaction()) {
            newestTransactionEnd = sequence;
        }
        newest = sequence;
        store.publish(sequence);
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
        return Math.max(store.oldest(), published() - store.slots() + 1);
    }

    /**
     * The event at {@code sequence} (its bytes copied out of the arena), or {@code null} if it was dropped (the reader
     * fell behind the ring).
     *
     * @throws IllegalArgumentException if {@code sequence} is not published yet
     */
    public RawEvent read(final long sequence) {
        if (sequence > published()) {
            throw new IllegalArgumentException("sequence " + sequence + " is not published yet");
        }
        return store.read(sequence);
    }

    /**
     * Appends the bytes of the event at {@code sequence} to {@code dst} without a copy in between (the ring's arena to
     * the replica's buffer). Returns the event's length, or {@link #DROPPED} or {@link #NO_ROOM} with {@code dst}
     * unchanged.
     */
    public int copyTo(final long sequence, final ByteBuf dst) {
        return sequence > published() ? DROPPED : store.copyTo(sequence, dst);
    }

    /**
     * First sequence whose event starts at {@code file:position}, or -1 when the ring no longer (or not yet) holds it.
     */
    public long find(final String file, final long position) {
        final long newestSequence = published();
        if (newestSequence < 0) {
            return -1;
        }
        // A replica catching up from before the ring asks at every event it receives: answer that case without
        // walking the whole ring (events are in binlog order).
        final BinlogPosition wanted = new BinlogPosition(file, position);
        final BinlogPosition first = store.startOf(oldest());
        if (first != null && wanted.compareTo(first) < 0) {
            return -1;
        }
        // ... and a replica catching up from the master may be ahead of the tail
        final BinlogPosition newestStart = store.startOf(newestSequence);
        if (newestStart != null && wanted.compareTo(newestStart) > 0) {
            return -1;
        }
        for (long s = newestSequence; s >= oldest(); s--) {
            final BinlogPosition start = store.startOf(s);
            if (start == null) {
                return -1;
            }
            if (start.file().equals(file) && start.offset() == position) {
                return s;
            }
            if (start.file().equals(file) && start.offset() < position) {
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
        return store.slots();
    }

    /** The arena's size: the most bytes of events held in it. */
    public long maxBytes() {
        return store.bytes();
    }

    @Override
    public void close() {
        readers.clear();
        LOG.info("ring - stopped");
    }
}
