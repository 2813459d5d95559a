package org.semisync.proxy.binlog;

import com.lmax.disruptor.RingBuffer;
import io.netty.buffer.ByteBuf;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
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
 * <p>The events' bytes live in one array of {@code bytes} allocated up front (the arena, a circular log), not in an
 * array per event: the ring holds tens of megabytes that every young collection would otherwise copy (pauses of
 * 50–120 ms every few seconds under sysbench, with the collector's threads taking a core's share). The slots are
 * written in place too. An event larger than a quarter of the arena keeps its own array, within a second budget of
 * {@code bytes} besides the newest one. The producer drops the oldest events as the arena (or that budget) needs their
 * room, or their slot comes round again: a reader whose next event was dropped has fallen behind the ring and must
 * continue from elsewhere (the master).
 *
 * <p>Readers on other threads than the producer copy an event out and then check that it was not dropped meanwhile
 * (a sequence lock: the producer moves {@link #oldest} past an event before it overwrites its slot or bytes).
 */
public final class BinlogRing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BinlogRing.class);

    /** One ring slot, rewritten in place for each lap; {@code sequence} says whose fields it holds. */
    static final class Slot {
        /** The sequence whose event the fields describe; -1 while they are being rewritten. */
        private volatile long sequence = -1;
        /** Where the event's bytes start in the arena's log (a logical offset); -1 when they are in {@code large}. */
        private long logStart;

        private int length;
        private byte[] large;
        private String file;
        private long startPosition;
        private String gtid;
        private boolean endsTransaction;
    }

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

    private final RingBuffer<Slot> ring;
    private final ReplicationEvents events;
    private final CopyOnWriteArrayList<Runnable> readers = new CopyOnWriteArrayList<>();
    private final byte[] arena;
    /** Bytes published since readers were last woken; producer only. */
    private long unannounced;
    /**
     * Newest sequence whose slot is written; producer only. Not the Disruptor's cursor: with a multi-producer sequencer
     * that is the newest <em>claimed</em> sequence, whose slot a reader may find still holding the previous lap.
     */
    private volatile long newest = -1;
    /** Sequence of the newest event that ends a transaction, -1 before the first; written by the producer only. */
    private volatile long newestTransactionEnd = -1;
    /** Oldest sequence still held; written by the producer only, before it reuses anything of older events. */
    private volatile long oldest;
    /** Where the next event goes in the arena's log; producer only. */
    private long logEnd;
    /** Bytes of the held events that have arrays of their own; producer only. */
    private long largeBytes;
    /** Whether an event with an array of its own was dropped and its slot still refers to the array; producer only. */
    private boolean largeDropped;

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
        this.arena = new byte[(int) bytes];
        // One producer at a time, but not always the same thread: the binlog client reads on a new thread after it
        // reconnects (master restart), which a single-producer sequencer does not allow.
        this.ring = RingBuffer.createMultiProducer(Slot::new, size);
        LOG.info("ring - started: up to {} bytes of events in {} slots", bytes, size);
    }

    /**
     * Publishes one event, drops the oldest events whose room it needs, reports a transaction end and wakes the
     * readers at the end of a transaction or between transactions. Never blocks. One producer at a time.
     */
    public void publish(final RawEvent event) {
        final byte[] bytes = event.bytes();
        final long sequence = ring.next();
        final Slot slot = ring.get(sequence);
        final boolean inArena = bytes.length <= arena.length / 4;
        // the slot count can end an event's time in the ring before its bytes do
        long next = dropUntil(oldest, slot.sequence + 1);
        long at = -1;
        if (inArena) {
            at = logEnd;
            final int offset = (int) (at % arena.length);
            if (offset + bytes.length > arena.length) {
                at += arena.length - offset; // an event is never split: the arena's last bytes stay unused this lap
            }
            logEnd = at + bytes.length;
            next = dropArenaBefore(next, sequence, logEnd - arena.length);
        } else {
            largeBytes += bytes.length;
        }
        // events with arrays of their own stay within the budget, the new one apart: a row larger than the ring does
        // not evict the events readers right behind it still need
        final long newLarge = inArena ? 0 : bytes.length;
        while (next < sequence && largeBytes - newLarge > arena.length) {
            next = dropUntil(next, next + 1);
        }
        // the sequence lock: readers learn that older events are gone before anything of theirs is reused
        final long dropped = oldest;
        oldest = next;
        slot.sequence = -1;
        VarHandle.storeStoreFence();
        if (largeDropped) {
            releaseLarge(dropped, next);
        }
        slot.logStart = at;
        slot.length = bytes.length;
        if (inArena) {
            System.arraycopy(bytes, 0, arena, (int) (at % arena.length), bytes.length);
            slot.large = null;
        } else {
            slot.large = bytes;
        }
        slot.file = event.file();
        slot.startPosition = event.startPosition();
        slot.gtid = event.gtid();
        slot.endsTransaction = event.endsTransaction();
        slot.sequence = sequence;
        // before the readers are woken: a reader must find the event published
        if (event.endsTransaction()) {
            newestTransactionEnd = sequence;
        }
        newest = sequence;
        ring.publish(sequence);
        if (event.endsTransaction()) {
            // before the wake-up: the tracker knows the transaction before a replica can ACK it
            events.transactionEnded(event.gtid(), event.file(), event.endPosition());
        }
        unannounced += bytes.length;
        // inside a transaction a replica can do nothing with the events before its end: one wake-up per transaction
        if (event.endsTransaction() || event.gtid() == null || unannounced >= WAKE_BYTES) {
            unannounced = 0;
            readers.forEach(Runnable::run);
        }
    }

    /** Drops the held events from {@code first} to {@code end} (exclusive); returns the new oldest. */
    private long dropUntil(final long first, final long end) {
        long next = first;
        for (; next < end; next++) {
            final Slot slot = ring.get(next);
            if (slot.logStart < 0) {
                largeBytes -= slot.length;
                largeDropped = true;
            }
        }
        return next;
    }

    /**
     * Drops, oldest first, the events up to the last one whose bytes start in the arena's log before {@code from} (the
     * room the new event takes); events with arrays of their own in between go with them (the ring is in order).
     */
    private long dropArenaBefore(final long first, final long newSequence, final long from) {
        long next = first;
        for (long scan = first; scan < newSequence; scan++) {
            final long start = ring.get(scan).logStart;
            if (start >= from) {
                break;
            }
            if (start >= 0) {
                next = dropUntil(next, scan + 1);
            }
        }
        return next;
    }

    /** Lets go of the arrays of the large events dropped from {@code first} to {@code end}; after {@link #oldest}. */
    private void releaseLarge(final long first, final long end) {
        for (long s = first; s < end; s++) {
            ring.get(s).large = null;
        }
        largeDropped = false;
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
     * The event at {@code sequence} (its bytes copied out of the arena), or {@code null} if it was dropped (the reader
     * fell behind the ring).
     *
     * @throws IllegalArgumentException if {@code sequence} is not published yet
     */
    public RawEvent read(final long sequence) {
        if (sequence > published()) {
            throw new IllegalArgumentException("sequence " + sequence + " is not published yet");
        }
        final Slot slot = ring.get(sequence);
        if (sequence < oldest || slot.sequence != sequence) {
            return null;
        }
        // what follows may be rewritten under a reader on another thread: read it all, then check (sequence lock)
        final long logStart = slot.logStart;
        final int length = slot.length;
        final String file = slot.file;
        final long startPosition = slot.startPosition;
        final String gtid = slot.gtid;
        final boolean endsTransaction = slot.endsTransaction;
        byte[] bytes = slot.large;
        if (logStart >= 0) {
            final int offset = (int) (logStart % arena.length);
            if (length < EventHeader.SIZE || offset + length > arena.length) {
                return null; // torn: being rewritten
            }
            bytes = Arrays.copyOfRange(arena, offset, offset + length);
        }
        VarHandle.loadLoadFence();
        if (slot.sequence != sequence || sequence < oldest || bytes == null || file == null) {
            return null;
        }
        return new RawEvent(bytes, file, startPosition, gtid, endsTransaction);
    }

    /** {@link #copyTo}: the event was dropped (the reader fell behind the ring). */
    public static final int DROPPED = -1;
    /** {@link #copyTo}: the event does not fit in what is left of the buffer. */
    public static final int NO_ROOM = -2;

    /**
     * Appends the bytes of the event at {@code sequence} to {@code dst} without a copy in between (the ring's arena to
     * the replica's buffer). Returns the event's length, or {@link #DROPPED} or {@link #NO_ROOM} with {@code dst}
     * unchanged.
     */
    public int copyTo(final long sequence, final ByteBuf dst) {
        final Slot slot = ring.get(sequence);
        if (sequence > published() || sequence < oldest || slot.sequence != sequence) {
            return DROPPED;
        }
        final long logStart = slot.logStart;
        final int length = slot.length;
        final byte[] large = slot.large;
        final int offset = logStart >= 0 ? (int) (logStart % arena.length) : 0;
        final byte[] source = logStart >= 0 ? arena : large;
        if (source == null || length < EventHeader.SIZE || offset + length > source.length) {
            return DROPPED; // torn: being rewritten
        }
        if (length > dst.maxWritableBytes()) {
            return NO_ROOM;
        }
        final int at = dst.writerIndex();
        dst.writeBytes(source, offset, length);
        VarHandle.loadLoadFence();
        if (slot.sequence != sequence || sequence < oldest) {
            dst.writerIndex(at);
            return DROPPED;
        }
        return length;
    }

    /** Where the event at {@code sequence} starts in the master's binlog; null when it was dropped. */
    private BinlogPosition startOf(final long sequence) {
        final Slot slot = ring.get(sequence);
        if (sequence < oldest || slot.sequence != sequence) {
            return null;
        }
        final String file = slot.file;
        final long position = slot.startPosition;
        VarHandle.loadLoadFence();
        return slot.sequence == sequence && sequence >= oldest && file != null
                ? new BinlogPosition(file, position)
                : null;
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
        final BinlogPosition first = startOf(oldest());
        if (first != null && wanted.compareTo(first) < 0) {
            return -1;
        }
        // ... and a replica catching up from the master may be ahead of the tail
        final BinlogPosition newestStart = startOf(newestSequence);
        if (newestStart != null && wanted.compareTo(newestStart) > 0) {
            return -1;
        }
        for (long s = newestSequence; s >= oldest(); s--) {
            final BinlogPosition start = startOf(s);
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
        return ring.getBufferSize();
    }

    /** The arena's size: the most bytes of events held in it. */
    public long maxBytes() {
        return arena.length;
    }

    @Override
    public void close() {
        readers.clear();
        LOG.info("ring - stopped");
    }
}
