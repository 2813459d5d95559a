package org.semisync.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.semisync.ack.AckTracker;
import org.semisync.ack.BinlogPosition;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.SemiSyncStatus;
import org.semisync.proxy.binlog.BinlogRing;
import org.semisync.proxy.binlog.RawEvent;
import org.semisync.proxy.protocol.MalformedPacketException;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.Packets;

/**
 * The proxy frames a plugin-less master's dump exactly as MariaDB's semi-sync master frames it: the captured packets
 * of a 10.11 master with the plugin (dump start, then an INSERT transaction) are turned back into what a master
 * without the plugin sends, run through {@link DumpStream}, and must come out byte for byte as captured.
 */
class DumpStreamTest {
    private static final String FILE = "mysql-bin.000001";
    private AckTracker tracker;

    @BeforeEach
    void startTracker() {
        tracker =
                AckTracker.builder().settings(SemiSyncSettings.DEFAULTS).build().start();
    }

    @AfterEach
    void stopTracker() {
        tracker.close();
    }

    @Test
    void relayedDumpIsFramedLikeTheSemiSyncPluginFramesIt() throws Exception {
        final DumpStream dump = stream();
        final List<byte[]> captured = new ArrayList<>(payloads("dump_start_stream"));
        captured.addAll(payloads("insert_transaction_stream"));
        final List<byte[]> out = new ArrayList<>();
        final List<Integer> sequences = new ArrayList<>();
        for (byte[] semiSync : captured) {
            // what a master without the plugin sends: [00][event], no [EF][flag]
            final byte[] plain = withoutSemiSyncHeader(semiSync);
            for (Packet p : dump.fromMaster(new Packet(1, Unpooled.wrappedBuffer(plain)))) {
                out.add(ByteBufUtil.getBytes(p.payload()));
                sequences.add(p.sequenceId());
                p.release();
            }
        }
        assertThat(out).hasSameSizeAs(captured);
        for (int i = 0; i < captured.size(); i++) {
            assertThat(out.get(i)).as("packet %d", i).isEqualTo(captured.get(i));
        }
        // only the XID asks for an ACK, and the sequence restarts after it
        assertThat(out.get(out.size() - 1)[2]).isEqualTo((byte) 1);
        assertThat(out.subList(0, out.size() - 1)).allMatch(p -> p[2] == 0);
        assertThat(sequences.get(0)).isEqualTo(1);
        assertThat(dump.position()).isEqualTo(new BinlogPosition(FILE, 1621));

        // the captured ACK of that transaction reaches the tracker
        assertThat(dump.fromReplica(new Packet(0, Unpooled.wrappedBuffer(Fixtures.payload(ack())))))
                .isTrue();
        assertThat(dump.acks()).isEqualTo(1);
        final SemiSyncStatus status =
                await(s -> s.replicas().stream().anyMatch(r -> new BinlogPosition(FILE, 1621).equals(r.watermark())));
        assertThat(status.getAck()).isEqualTo(1);
        dump.closed();
    }

    @Test
    void ringEventsAreFramedLikeRelayedOnes() {
        final DumpStream relayed = stream();
        final DumpStream fromRing = stream();
        long position = 4;
        for (byte[] semiSync : payloads("dump_start_stream")) {
            final byte[] plain = withoutSemiSyncHeader(semiSync);
            final List<Packet> a = relayed.fromMaster(new Packet(1, Unpooled.wrappedBuffer(plain)));
            final byte[] event = Arrays.copyOfRange(plain, 1, plain.length);
            final List<Packet> b = fromRing.fromRing(new RawEvent(event, FILE, position, null, false), false);
            assertThat(b).hasSameSizeAs(a);
            for (int i = 0; i < a.size(); i++) {
                assertThat(ByteBufUtil.getBytes(b.get(i).payload()))
                        .isEqualTo(ByteBufUtil.getBytes(a.get(i).payload()));
            }
            a.forEach(Packet::release);
            b.forEach(Packet::release);
        }
        final List<Packet> heartbeat = fromRing.heartbeat(1, true);
        final ByteBuf hb = heartbeat.get(0).payload();
        assertThat((int) hb.getUnsignedByte(1)).as("semi-sync magic").isEqualTo(0xEF);
        assertThat((int) hb.getUnsignedByte(2)).as("no ACK asked").isZero();
        assertThat((int) hb.getUnsignedByte(3 + 4)).as("HEARTBEAT_LOG_EVENT").isEqualTo(27);
        heartbeat.forEach(Packet::release);
        relayed.closed();
        fromRing.closed();
    }

    @Test
    void annotateRowsEventsAreLeftOutForAReplicaThatDidNotAskForThem() {
        assertThat(ringTypes(stream())).containsExactly(162, 160, 19, 23, 16);
        final DumpStream omitting = stream();
        omitting.omitAnnotateRows();
        assertThat(ringTypes(omitting)).containsExactly(162, 19, 23, 16);
        // the stream's position and the ACK request are as if it had been sent
        assertThat(omitting.position()).isEqualTo(new BinlogPosition(FILE, 1621));
        assertThat(omitting.transactionEnded()).isEqualTo(new BinlogPosition(FILE, 1621));
    }

    @Test
    void aTransactionEndAsksForNoAckWhenALaterEndFollowsInTheSameStream() {
        final DumpStream dump = stream();
        final List<byte[]> start = payloads("dump_start_stream");
        final List<byte[]> transaction = payloads("insert_transaction_stream");
        for (byte[] p : start) {
            dump.fromRing(ringEvent(p), false).forEach(Packet::release);
        }
        final long requestsBefore = tracker.status().netWaits();
        final List<Packet> out = new ArrayList<>();
        for (byte[] p : transaction) {
            out.addAll(dump.fromRing(ringEvent(p), true));
        }
        final Packet xid = out.get(out.size() - 1);
        assertThat((int) xid.payload().getUnsignedByte(3 + 4)).as("XID_EVENT").isEqualTo(16);
        assertThat((int) xid.payload().getByte(2)).as("no ACK asked").isZero();
        assertThat(dump.transactionEnded()).isEqualTo(new BinlogPosition(FILE, 1621));
        assertThat(tracker.status().netWaits()).isEqualTo(requestsBefore);
        // the sequence ids run on: the replica sends no ACK, so nothing restarts them
        final int next = xid.sequenceId() + 1;
        out.forEach(Packet::release);
        final List<Packet> again = dump.fromRing(ringEvent(transaction.get(0)), false);
        assertThat(again.get(0).sequenceId()).isEqualTo(next);
        again.forEach(Packet::release);
        dump.closed();
    }

    /**
     * A replica catching up on transactions that nothing waits for is not asked for an ACK of each, as the plugin's
     * update_sync_header asks only from the lowest waiting commit on; the newest end is always asked for (see
     * {@code relayedDumpIsFramedLikeTheSemiSyncPluginFramesIt}).
     */
    @Test
    void anOldTransactionEndAsksForAnAckOnlyWhenACommitWaitsAtOrBeforeIt() {
        final BinlogPosition end = new BinlogPosition(FILE, 1621);
        tracker.transactionCommitted(null, new BinlogPosition(FILE, 9000));
        assertThat(catchUpFlag()).as("nothing waits: a later end's ACK will do").isZero();

        tracker.replicaConnected("1", new BinlogPosition(FILE, 4));
        tracker.awaitPosition(new BinlogPosition(FILE, 5000), Runnable::run, (o, n) -> {});
        assertThat(catchUpFlag()).as("the lowest waiting commit is later").isZero();

        tracker.awaitPosition(end, Runnable::run, (o, n) -> {});
        final long requestsBefore = tracker.status().netWaits();
        assertThat(catchUpFlag()).as("a commit waits for this end").isEqualTo(1);
        assertThat(tracker.status().netWaits()).isEqualTo(requestsBefore + 1);
    }

    /** The ACK flag of the captured transaction's XID, sent to a fresh replica's dump as from a catch-up dump. */
    private int catchUpFlag() {
        final DumpStream dump = stream();
        final List<Packet> out = new ArrayList<>();
        for (String fixture : List.of("dump_start_stream", "insert_transaction_stream")) {
            for (byte[] p : payloads(fixture)) {
                out.addAll(dump.fromRing(ringEvent(p), false));
            }
        }
        final Packet xid = out.get(out.size() - 1);
        assertThat((int) xid.payload().getUnsignedByte(3 + 4)).as("XID_EVENT").isEqualTo(16);
        final int flag = xid.payload().getByte(2);
        out.forEach(Packet::release);
        dump.closed();
        return flag;
    }

    /**
     * Batched straight from the ring's arena, the captured dump start and transaction (twice, so that the ACK restarts
     * the sequence ids) come out as the same bytes on the wire as framed one event at a time: for a semi-sync replica
     * and a plain one, with Annotate_rows sent or left out, in a batch that fills up on the way.
     */
    @Test
    void batchedRingEventsAreTheSameBytesOnTheWireAsSingleOnes() {
        final List<byte[]> events = new ArrayList<>();
        for (String fixture : List.of("dump_start_stream", "insert_transaction_stream", "insert_transaction_stream")) {
            payloads(fixture).forEach(p -> events.add(ringEvent(p).bytes()));
        }
        for (boolean semiSync : new boolean[] {true, false}) {
            for (boolean omit : new boolean[] {false, true}) {
                final DumpStream single =
                        new DumpStream("2", semiSync, tracker, ByteBufAllocator.DEFAULT, FILE, 4, true, 0);
                final DumpStream batched =
                        new DumpStream("2", semiSync, tracker, ByteBufAllocator.DEFAULT, FILE, 4, true, 0);
                if (omit) {
                    single.omitAnnotateRows();
                    batched.omitAnnotateRows();
                }
                final ByteBuf expected = Unpooled.buffer();
                final ByteBuf wire = Unpooled.buffer();
                try (BinlogRing ring = new BinlogRing(64, 1 << 16, (gtid, file, end) -> {})) {
                    ByteBuf batch = Unpooled.buffer(600, 600);
                    for (int i = 0; i < events.size(); i++) {
                        ring.publish(new RawEvent(events.get(i), FILE, 4, null, false));
                        for (Packet p : single.fromRing(ring.read(i), false)) {
                            expected.writeMediumLE(p.payload().readableBytes()).writeByte(p.sequenceId());
                            expected.writeBytes(p.payload());
                            p.release();
                        }
                        int appended = batched.appendFromRing(ring, i, false, batch);
                        if (appended == BinlogRing.NO_ROOM) {
                            wire.writeBytes(batch);
                            batch = Unpooled.buffer(600, 600);
                            appended = batched.appendFromRing(ring, i, false, batch);
                        }
                        assertThat(appended).as("event %d", i).isEqualTo(events.get(i).length);
                    }
                    wire.writeBytes(batch);
                }
                assertThat(ByteBufUtil.getBytes(wire))
                        .as("semi-sync %s, Annotate_rows left out %s", semiSync, omit)
                        .isEqualTo(ByteBufUtil.getBytes(expected));
                assertThat(batched.position()).isEqualTo(single.position());
                single.closed();
                batched.closed();
            }
        }
    }

    @Test
    void aRingEventDroppedFromTheRingIsNotAppended() {
        final DumpStream dump = stream();
        try (BinlogRing ring = new BinlogRing(4, 1 << 16, (gtid, file, end) -> {})) {
            final List<byte[]> start = payloads("dump_start_stream");
            for (int i = 0; i < 6; i++) {
                ring.publish(ringEvent(start.get(i % start.size())));
            }
            final ByteBuf batch = Unpooled.buffer(600, 600);
            assertThat(dump.appendFromRing(ring, 0, false, batch)).isEqualTo(BinlogRing.DROPPED);
            assertThat(batch.writerIndex()).isZero();
            assertThat(dump.position()).as("not followed").isEqualTo(new BinlogPosition(FILE, 4));
        }
        dump.closed();
    }

    @Test
    void aRingEventOf16MiBOrMoreLeavesInPacketsWithHeadersOfTheirOwn() {
        final DumpStream dump = stream();
        for (byte[] p : payloads("dump_start_stream")) {
            dump.fromRing(ringEvent(p), false).forEach(Packet::release);
        }
        final long start = dump.position().offset();
        final byte[] event = new byte[Packets.MAX_PAYLOAD + 10];
        final java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(event).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        header.put(4, (byte) 23).putInt(5, 1).putInt(9, event.length).putInt(13, (int) (start + event.length));
        final List<Packet> out = dump.fromRing(new RawEvent(event, FILE, start, null, false), false);
        assertThat(out).hasSize(2);
        assertThat(out.get(1).sequenceId()).isEqualTo(out.get(0).sequenceId() + 1);
        assertThat(out.get(0).length()).isEqualTo(Packets.MAX_PAYLOAD);
        final ByteBuf whole =
                Unpooled.wrappedBuffer(out.get(0).payload(), out.get(1).payload());
        assertThat(ByteBufUtil.getBytes(whole, 0, 3)).containsExactly(0x00, 0xEF, 0x00);
        assertThat(ByteBufUtil.getBytes(whole, 3, whole.readableBytes() - 3)).isEqualTo(event);
        out.forEach(Packet::release);
        assertThat(dump.position().offset()).isEqualTo(start + event.length);
        dump.closed();
    }

    private static RawEvent ringEvent(final byte[] semiSyncPayload) {
        final byte[] plain = withoutSemiSyncHeader(semiSyncPayload);
        return new RawEvent(Arrays.copyOfRange(plain, 1, plain.length), FILE, 4, null, false);
    }

    /**
     * The captured dump start and INSERT transaction through {@code dump} from the ring: the event types of the
     * transaction's packets, checking that sequence ids run on without a gap.
     */
    private static List<Integer> ringTypes(final DumpStream dump) {
        long position = 4;
        int expectedSequence = 1;
        final List<Integer> types = new ArrayList<>();
        final List<byte[]> start = payloads("dump_start_stream");
        final List<byte[]> all = new ArrayList<>(start);
        all.addAll(payloads("insert_transaction_stream"));
        for (int i = 0; i < all.size(); i++) {
            final byte[] plain = withoutSemiSyncHeader(all.get(i));
            final byte[] event = Arrays.copyOfRange(plain, 1, plain.length);
            for (Packet p : dump.fromRing(new RawEvent(event, FILE, position, null, false), false)) {
                assertThat(p.sequenceId()).isEqualTo(expectedSequence);
                expectedSequence = p.payload().getByte(2) == 1 ? 1 : expectedSequence + 1;
                if (i >= start.size()) {
                    types.add((int) p.payload().getUnsignedByte(3 + 4));
                }
                p.release();
            }
        }
        dump.closed();
        return types;
    }

    @Test
    void anythingButAnAckOrQuitDuringTheDumpIsRejected() {
        final DumpStream dump = stream();
        assertThatThrownBy(() ->
                        dump.fromReplica(new Packet(0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xEF, 1, 2}))))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("expected a semi-sync ACK");
        assertThatThrownBy(() -> dump.fromReplica(new Packet(0, Unpooled.wrappedBuffer(new byte[] {3, 'S', 'E', 'L'}))))
                .isInstanceOf(MalformedPacketException.class);
        assertThat(dump.fromReplica(new Packet(0, Unpooled.wrappedBuffer(new byte[] {1}))))
                .isFalse();
        assertThat(dump.acks()).isZero();
        dump.closed();
    }

    private DumpStream stream() {
        return new DumpStream("2", true, tracker, ByteBufAllocator.DEFAULT, FILE, 4, true, 0);
    }

    private SemiSyncStatus await(final java.util.function.Predicate<SemiSyncStatus> condition) throws Exception {
        final long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.test(tracker.status()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.test(tracker.status()))
                .as("tracker status %s", tracker.status())
                .isTrue();
        return tracker.status();
    }

    private static byte[] ack() {
        return Fixtures.packets(Fixtures.bytes("ack")).get(0);
    }

    private static List<byte[]> payloads(final String fixture) {
        return Fixtures.packets(Fixtures.bytes(fixture)).stream()
                .map(Fixtures::payload)
                .toList();
    }

    private static byte[] withoutSemiSyncHeader(final byte[] payload) {
        assertThat(payload[1]).as("captured from a semi-sync master").isEqualTo((byte) 0xEF);
        final byte[] plain = new byte[payload.length - 2];
        plain[0] = payload[0];
        System.arraycopy(payload, 3, plain, 1, payload.length - 3);
        return plain;
    }
}
