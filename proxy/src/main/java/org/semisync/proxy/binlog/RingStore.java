package org.semisync.proxy.binlog;

import com.lmax.disruptor.RingBuffer;
import io.netty.buffer.ByteBuf;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.semisync.ack.BinlogPosition;

/**
 * The ring's storage: its slots, rewritten in place, and the events' bytes in one array written round and round (the
 * arena, a circular log), so that the garbage collector never copies binlog data. An event larger than a quarter of
 * the arena keeps its own array, within a second budget of the arena's size besides the newest one. Writing an event
 * drops the oldest ones as the arena (or that budget) needs their room, or their slot comes round again.
 *
 * <p>One writer at a time; readers on any thread. A reader copies an event out and then checks that it was not
 * dropped meanwhile (a sequence lock: the writer moves {@link #oldest} past an event before it reuses its slot or
 * bytes, and fences keep the copy between the two checks).
 */
final class RingStore {
    /** One ring slot, rewritten in place for each lap; {@code sequence} says whose fields it holds. */
    private static final class Slot {
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

    /** {@link #copyTo}: the event was dropped (the reader fell behind the ring). */
    static final int DROPPED = -1;
    /** {@link #copyTo}: the event does not fit in what is left of the buffer. */
    static final int NO_ROOM = -2;

    private final RingBuffer<Slot> ring;
    private final byte[] arena;
    /** Oldest sequence still held; written by the writer only, before it reuses anything of older events. */
    private volatile long oldest;
    /** Where the next event goes in the arena's log; writer only. */
    private long logEnd;
    /** Bytes of the held events that have arrays of their own; writer only. */
    private long largeBytes;
    /** Whether an event with an array of its own was dropped and its slot still refers to the array; writer only. */
    private boolean largeDropped;

    RingStore(final int slots, final int bytes) {
        this.arena = new byte[bytes];
        // One writer at a time, but not always the same thread: the tail reads on another loop after it reconnects
        // (master restart), which a single-producer sequencer does not allow.
        this.ring = RingBuffer.createMultiProducer(Slot::new, slots);
    }

    long next() {
        return ring.next();
    }

    void publish(final long sequence) {
        ring.publish(sequence);
    }

    /** Stores the event claimed at {@code sequence} ({@link #next}), dropping what is in its way. */
    void write(final long sequence, final RawEvent event) {
        final byte[] bytes = event.bytes();
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

    /**
     * The event at {@code sequence} (its bytes copied out of the arena), or {@code null} if it was dropped (the reader
     * fell behind the ring).
     */
    RawEvent read(final long sequence) {
        final Slot slot = ring.get(sequence);
        if (!held(slot, sequence)) {
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
        if (!held(slot, sequence) || bytes == null || file == null) {
            return null;
        }
        return new RawEvent(bytes, file, startPosition, gtid, endsTransaction);
    }

    /**
     * Appends the bytes of the event at {@code sequence} to {@code dst} without a copy in between (the ring's arena to
     * the replica's buffer). Returns the event's length, or {@link #DROPPED} or {@link #NO_ROOM} with {@code dst}
     * unchanged.
     */
    int copyTo(final long sequence, final ByteBuf dst) {
        final Slot slot = ring.get(sequence);
        if (!held(slot, sequence)) {
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
        if (!held(slot, sequence)) {
            dst.writerIndex(at);
            return DROPPED;
        }
        return length;
    }

    /** Where the event at {@code sequence} starts in the master's binlog; null when it was dropped. */
    BinlogPosition startOf(final long sequence) {
        final Slot slot = ring.get(sequence);
        if (!held(slot, sequence)) {
            return null;
        }
        final String file = slot.file;
        final long position = slot.startPosition;
        VarHandle.loadLoadFence();
        return held(slot, sequence) && file != null ? new BinlogPosition(file, position) : null;
    }

    /**
     * Whether {@code slot} holds the event at {@code sequence} and the event is not dropped; checked before a read
     * and again after it, behind a load fence (the sequence lock).
     */
    private boolean held(final Slot slot, final long sequence) {
        return sequence >= oldest && slot.sequence == sequence;
    }

    /** Oldest sequence still held. */
    long oldest() {
        return oldest;
    }

    int slots() {
        return ring.getBufferSize();
    }

    int bytes() {
        return arena.length;
    }
}
