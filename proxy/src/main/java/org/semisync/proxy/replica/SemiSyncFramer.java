package org.semisync.proxy.replica;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.Packets;

/**
 * Turns binlog events into the dump stream's wire packets for one replica: {@code [00][EF][flag][event]} when the
 * replica asked for semi-sync, {@code [00][event]} otherwise; events longer than one packet are split into continuation
 * packets. Owns the outbound sequence id of the dump connection; one instance per replica, used from its event loop.
 */
public final class SemiSyncFramer {
    /** First byte of every semi-sync event packet after the OK marker. */
    public static final int MAGIC = 0xEF;
    /** Flag bit asking the replica to ACK this event. */
    public static final int FLAG_NEED_ACK = 0x01;

    private final boolean semiSync;
    private int nextSequenceId;

    /**
     * @param semiSync whether the replica set {@code @rpl_semi_sync_slave=1} (or {@code _replica}) before the dump
     * @param firstSequenceId sequence id of the first packet: 1, answering the COM_BINLOG_DUMP command (seq 0)
     */
    public SemiSyncFramer(final boolean semiSync, final int firstSequenceId) {
        this.semiSync = semiSync;
        this.nextSequenceId = firstSequenceId & 0xFF;
    }

    /** Whether events carry the 0xEF header. */
    public boolean semiSync() {
        return semiSync;
    }

    /**
     * Frames one event. {@code needAck} is ignored without semi-sync. The caller owns the returned packets and must write
     * or release each.
     */
    public List<Packet> frame(final ByteBufAllocator alloc, final byte[] event, final boolean needAck) {
        final int prefix = semiSync ? 3 : 1;
        final int total = prefix + event.length;
        final List<Packet> packets = new ArrayList<>(1 + total / Packets.MAX_PAYLOAD);
        int eventOffset = 0;
        int remaining = total;
        boolean first = true;
        // A payload of exactly MAX_PAYLOAD announces a continuation, so loop until a short (possibly empty) packet.
        while (true) {
            final int chunk = Math.min(remaining, Packets.MAX_PAYLOAD);
            final ByteBuf payload = alloc.buffer(chunk);
            int eventBytes = chunk;
            if (first) {
                payload.writeByte(Packets.OK);
                if (semiSync) {
                    payload.writeByte(MAGIC).writeByte(needAck ? FLAG_NEED_ACK : 0);
                }
                eventBytes -= prefix;
                first = false;
            }
            payload.writeBytes(event, eventOffset, eventBytes);
            eventOffset += eventBytes;
            remaining -= chunk;
            packets.add(new Packet(nextSequenceId, payload));
            nextSequenceId = (nextSequenceId + 1) & 0xFF;
            if (chunk < Packets.MAX_PAYLOAD) {
                break;
            }
        }
        if (semiSync && needAck) {
            // The master's dump thread does net_clear() then pkt_nr++ after a flagged event, because the replica's ACK
            // (sent with seq 0) interleaves with the stream: the next event goes out with sequence id 1.
            nextSequenceId = 1;
        }
        return packets;
    }

    /** Sequence id the next packet will carry. */
    public int nextSequenceId() {
        return nextSequenceId;
    }
}
