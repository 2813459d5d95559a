package org.semisync.proxy.replica;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.Packets;

/**
 * The wire packets of one replica's dump: event packets {@code [00][event]}, behind the semi-sync header {@code
 * [00][EF][flag]} for a semi-sync replica, split at 16 MiB, with the dump's sequence ids (which restart after every
 * event that asks for an ACK).
 */
final class ReplicaFraming {
    private static final int NEED_ACK = 0x01;
    /** Where the flag byte is in a ring event framed by {@link #ringEvent}: after the packet header, 00 and EF. */
    private static final int RING_FLAG_INDEX = Packets.HEADER_SIZE + 2;

    private final boolean semiSync;
    private final ByteBufAllocator alloc;
    private int nextSequence = 1;

    ReplicaFraming(final boolean semiSync, final ByteBufAllocator alloc) {
        this.semiSync = semiSync;
        this.alloc = alloc;
    }

    /** {@code [00][event]}, as a master sends an event in its dump. */
    ByteBuf eventPacket(final byte[] event) {
        return alloc.buffer(1 + event.length).writeByte(Packets.OK).writeBytes(event);
    }

    /**
     * A ring event copied once, into a buffer with room for the packet header and the semi-sync header, which the
     * encoder then sends without a second copy (no composite). Its reader index is at the flag byte, so that the
     * buffer reads as {@code [flag][event]}, the shape the follower expects ({@code [00][event]}); {@link
     * #ringPackets} sets the flag.
     */
    ByteBuf ringEvent(final byte[] event) {
        return alloc.ioBuffer(Packets.HEADER_SIZE + 3 + event.length)
                .writeZero(Packets.HEADER_SIZE)
                .writeByte(Packets.OK)
                .writeByte(ReplicaAcks.SEMI_SYNC_MAGIC)
                .writeByte(0)
                .writeBytes(event)
                .readerIndex(RING_FLAG_INDEX);
    }

    /** The packets of a buffer from {@link #ringEvent} (owned here), with the ACK flag set as asked. */
    List<Packet> ringPackets(final ByteBuf framed, final boolean needAck) {
        framed.readerIndex(0).setByte(RING_FLAG_INDEX, needAck ? NEED_ACK : 0);
        return split(framed, needAck, true);
    }

    /**
     * Starts a ring event's packet in {@code batch}, if there is room for its start: the header (see {@link #seal}),
     * then {@code [00][EF][flag]} or {@code [00]}; the event's bytes go right after. Returns the index of the byte just
     * before the event, where the event reads as {@code [00][event]} for the follower; -1 when there is no room.
     */
    int start(final ByteBuf batch) {
        if (batch.maxWritableBytes() < Packets.HEADER_SIZE + 3) {
            return -1;
        }
        batch.writeZero(Packets.HEADER_SIZE).writeByte(Packets.OK);
        if (semiSync) {
            batch.writeByte(ReplicaAcks.SEMI_SYNC_MAGIC).writeByte(0);
        }
        return batch.writerIndex() - 1;
    }

    /** Fills in the header (length, sequence id) and the flag of the packet {@link #start}ed at {@code start}. */
    void seal(final ByteBuf batch, final int start, final boolean needAck) {
        batch.setMediumLE(start, batch.writerIndex() - start - Packets.HEADER_SIZE)
                .setByte(start + 3, nextSequence++);
        if (needAck) {
            batch.setByte(start + Packets.HEADER_SIZE + 2, NEED_ACK);
            nextSequence = 1;
        }
    }

    /** The packets of {@code payload}, {@code [00][event]} (owned here), behind the semi-sync header if any. */
    List<Packet> eventPackets(final ByteBuf payload, final boolean needAck) {
        final ByteBuf framed;
        if (semiSync) {
            final ByteBuf header = alloc.buffer(3).writeByte(Packets.OK).writeByte(ReplicaAcks.SEMI_SYNC_MAGIC);
            header.writeByte(needAck ? NEED_ACK : 0);
            framed = alloc.compositeBuffer(2).addComponents(true, header, payload.skipBytes(1));
        } else {
            framed = payload;
        }
        return split(framed, needAck, false);
    }

    /** An ERR or EOF that ends the dump (owned here): not an event, no semi-sync header. */
    Packet endOfDump(final ByteBuf payload) {
        return new Packet(nextSequence++, payload);
    }

    /**
     * The logical packet {@code framed} (owned here) as wire packets. With {@code headerRoom}, {@code framed} starts
     * with room for a packet header, which a single wire packet uses (no copy in the encoder) and several do not
     * (each gets a header of its own).
     */
    private List<Packet> split(final ByteBuf framed, final boolean needAck, final boolean headerRoom) {
        final List<Packet> out;
        if (framed.readableBytes() - (headerRoom ? Packets.HEADER_SIZE : 0) < Packets.MAX_PAYLOAD) {
            out = List.of(
                    headerRoom ? Packet.withHeaderRoom(nextSequence++, framed) : new Packet(nextSequence++, framed));
        } else {
            if (headerRoom) {
                framed.skipBytes(Packets.HEADER_SIZE);
            }
            out = new ArrayList<>(2);
            // a logical packet of 16 MiB - 1 or more is sent as several wire packets; a multiple of the maximum
            // ends with an empty one
            while (true) {
                final int chunk = Math.min(framed.readableBytes(), Packets.MAX_PAYLOAD);
                out.add(new Packet(nextSequence++, framed.readRetainedSlice(chunk)));
                if (chunk < Packets.MAX_PAYLOAD) {
                    break;
                }
            }
            framed.release();
        }
        if (needAck) {
            // the replica answers a flagged event with an ACK of sequence id 0 and then expects sequence id 1
            nextSequence = 1;
        }
        return out;
    }
}
