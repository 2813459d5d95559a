package org.semisync.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.semisync.proxy.binlog.BinlogRing;
import org.semisync.proxy.binlog.BinlogStreamTracker;
import org.semisync.proxy.binlog.RawEvent;
import org.semisync.proxy.binlog.ReplicationEvents;
import org.semisync.proxy.binlog.SyntheticEvents;
import org.semisync.proxy.protocol.Packet;

class ReplicaDumpSessionTest {
    private static final String FILE = "mysql-bin.000001";
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final ReplicationEvents events = new ReplicationEvents() {
        @Override
        public void transactionEnded(final String gtid, final String file, final long endPosition) {
            calls.add("end " + gtid + " " + file + ":" + endPosition);
        }

        @Override
        public void replicaConnected(final String replicaId, final String file, final long position) {
            calls.add("connected " + replicaId + " " + file + ":" + position);
        }

        @Override
        public void acknowledged(final String replicaId, final String file, final long position) {
            calls.add("ack " + replicaId + " " + file + ":" + position);
        }

        @Override
        public void replicaDisconnected(final String replicaId) {
            calls.add("disconnected " + replicaId);
        }
    };
    private final AckCounters acks = new AckCounters();
    private BinlogRing ring;
    private byte[] formatDescription;
    private List<byte[]> transaction;

    @BeforeEach
    void fillRing() throws InterruptedException {
        ring = new BinlogRing(16, events, Executors.defaultThreadFactory());
        final BinlogStreamTracker tracker = new BinlogStreamTracker();
        formatDescription = payloads("dump_start_stream").get(1);
        tracker.accept(SyntheticEvents.fakeRotate(1, FILE, 1378, true));
        transaction = payloads("insert_transaction_stream");
        for (byte[] event : transaction) {
            final RawEvent raw = tracker.accept(event);
            ring.publish(raw);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!calls.contains("end 0-1-7 " + FILE + ":1621") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50); // let the ring's wake-up handler finish the batch before a session registers
    }

    @AfterEach
    void closeRing() {
        ring.close();
    }

    @Test
    void servesRotateFormatDescriptionAndEventsThenCountsAcks() {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(session(1_000_000_000L));
        final List<Packet> out = drainOutbound(channel);
        assertThat(out).extracting(Packet::sequenceId).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(eventOf(out.get(0))).isEqualTo(SyntheticEvents.fakeRotate(1, FILE, 1378, true));
        final byte[] fd = eventOf(out.get(1));
        assertThat(Arrays.copyOfRange(fd, 13, 17)).as("out-of-band FD log_pos").containsOnly(0);
        assertThat(fd.length).isEqualTo(formatDescription.length);
        // the transaction as the real master framed it, except for sequence ids
        final List<byte[]> captured = Fixtures.packets(Fixtures.bytes("insert_transaction_stream"));
        for (int i = 0; i < 5; i++) {
            assertThat(ByteBufUtil.getBytes(out.get(2 + i).payload())).isEqualTo(Fixtures.payload(captured.get(i)));
        }
        out.forEach(Packet::release);

        channel.writeInbound(new Packet(0, Unpooled.wrappedBuffer(Fixtures.payload(Fixtures.bytes("ack")))));
        assertThat(acks.count("2")).isEqualTo(1);
        assertThat(calls).contains("connected 2 " + FILE + ":1378", "ack 2 " + FILE + ":1621");

        // idle: the first tick only notes that events were sent, the second sends a heartbeat at 1621
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(drainOutbound(channel)).isEmpty();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        final List<Packet> heartbeat = drainOutbound(channel);
        assertThat(heartbeat).hasSize(1);
        assertThat(heartbeat.get(0).sequenceId())
                .as("seq restarts after the flagged XID")
                .isEqualTo(1);
        assertThat(eventOf(heartbeat.get(0))).isEqualTo(SyntheticEvents.heartbeat(1, FILE, 1621, true));
        heartbeat.forEach(Packet::release);
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(calls).contains("disconnected 2");
    }

    @Test
    void aMalformedAckClosesOnlyThatReplica() {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(session(0));
        drainOutbound(channel).forEach(Packet::release);
        channel.writeInbound(new Packet(0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xEF, 1, 2})));
        assertThat(channel.isOpen()).isFalse();
        assertThat(acks.count("2")).isZero();
        assertThat(calls).contains("disconnected 2");
        channel.finishAndReleaseAll();
    }

    private ReplicaDumpSession session(final long heartbeatNanos) {
        return new ReplicaDumpSession(
                new DumpSettings("2", true, heartbeatNanos, 1),
                0,
                FILE,
                1378,
                ring,
                events,
                acks,
                () -> formatDescription);
    }

    private static byte[] eventOf(final Packet packet) {
        final byte[] payload = ByteBufUtil.getBytes(packet.payload());
        assertThat(payload[0]).isZero();
        assertThat(payload[1]).isEqualTo((byte) 0xEF);
        return Arrays.copyOfRange(payload, 3, payload.length);
    }

    private static List<Packet> drainOutbound(final EmbeddedChannel channel) {
        final List<Packet> out = new ArrayList<>();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            out.add((Packet) msg);
        }
        return out;
    }

    private static List<byte[]> payloads(final String fixture) {
        final List<byte[]> events = new ArrayList<>();
        for (byte[] packet : Fixtures.packets(Fixtures.bytes(fixture))) {
            events.add(Arrays.copyOfRange(packet, 7, packet.length));
        }
        return events;
    }
}
