package org.semisync.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.semisync.proxy.binlog.BinlogCaptureException;
import org.semisync.proxy.binlog.EventHeader;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.Handshake;
import org.semisync.proxy.protocol.LenEnc;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.Packets;
import org.semisync.proxy.replica.Fixtures;

/** The tail's connection against the captured MariaDB 10.11 greeting and dump events, packet by packet. */
class DumpConnectionTest {
    /** Server greeting payload, connection id 25, from replica_connect_semisync.pcapng (as in HandshakeTest). */
    private static final String GREETING =
            "0a352e352e352d31302e31312e31392d4d6172696144422d302b646562313275312d6c6f6700"
                    + "19000000563f7658353d734c00fef7080200ff81150000000000001d000000612531652b4350495c734e6a00"
                    + "6d7973716c5f6e61746976655f70617373776f726400";

    private static final byte[] OK = {0, 0, 0, 2, 0, 0, 0};

    private final List<byte[]> events = new ArrayList<>();
    private final List<String> dumping = new ArrayList<>();
    private EmbeddedChannel channel;
    private DumpConnection connection;

    private void open(final String file, final long position) {
        connection = new DumpConnection(
                new MasterLogin("repl", "repl_pass"),
                new DumpSetup(file, position, 4_000_000_001L, 1_000_000_000L),
                new DumpConnection.Listener() {
                    @Override
                    public void dumping(final Handshake greeting, final String f, final long p) {
                        dumping.add(f + ":" + p + " #" + greeting.connectionId());
                    }

                    @Override
                    public void event(final byte[] event) {
                        events.add(event);
                    }
                },
                3);
        channel = new EmbeddedChannel(connection);
    }

    @AfterEach
    void noBufferLeftBehind() {
        Packet p;
        while ((p = channel.readOutbound()) != null) {
            p.release();
        }
        channel.finishAndReleaseAll();
    }

    private static Packet packet(final int sequence, final byte[] payload) {
        return new Packet(sequence, Unpooled.wrappedBuffer(payload));
    }

    private Packet sent() {
        final Packet p = channel.readOutbound();
        assertThat(p).as("a packet sent to the master").isNotNull();
        return p;
    }

    private String sentQuery() {
        final Packet p = sent();
        try {
            assertThat(p.firstByte()).isEqualTo(Commands.COM_QUERY);
            return p.payload().toString(1, p.length() - 1, StandardCharsets.UTF_8);
        } finally {
            p.release();
        }
    }

    private void loginWithTheCapturedGreeting() {
        channel.writeInbound(packet(0, HexFormat.of().parseHex(GREETING)));
        final Packet response = sent();
        try {
            assertThat(response.sequenceId()).isEqualTo(1);
            final ByteBuf p = response.payload().duplicate().skipBytes(32);
            assertThat(LenEnc.readNullTerminated(p, StandardCharsets.UTF_8)).isEqualTo("repl");
            // the same answer the captured replica IO thread gave to this greeting with this password
            assertThat(ByteBufUtil.hexDump(p.readSlice((int) LenEnc.readInt(p))))
                    .isEqualTo("81568d7fa19089910111dfc5ddc783accf15294c");
            assertThat(LenEnc.readNullTerminated(p, StandardCharsets.US_ASCII)).isEqualTo("mysql_native_password");
        } finally {
            response.release();
        }
        channel.writeInbound(packet(2, OK));
    }

    private void answerOk() {
        channel.writeInbound(packet(1, OK));
    }

    @Test
    void logsInSetsUpAndAsksForTheDumpLikeAReplica() {
        open("mysql-bin.000003", 1378);
        loginWithTheCapturedGreeting();
        assertThat(sentQuery()).isEqualTo("SET @master_binlog_checksum= @@global.binlog_checksum");
        answerOk();
        assertThat(sentQuery()).isEqualTo("SET @master_heartbeat_period=1000000000");
        answerOk();
        assertThat(sentQuery()).isEqualTo("SET @mariadb_slave_capability=4");
        answerOk();
        final Packet dump = sent();
        try {
            final ByteBuf p = dump.payload();
            assertThat(p.readUnsignedByte()).isEqualTo((short) Commands.COM_BINLOG_DUMP);
            assertThat(p.readUnsignedIntLE()).isEqualTo(1378);
            assertThat(p.readUnsignedShortLE()).isEqualTo(DumpSetup.SEND_ANNOTATE_ROWS);
            assertThat(p.readUnsignedIntLE()).isEqualTo(4_000_000_001L);
            assertThat(p.toString(StandardCharsets.UTF_8)).isEqualTo("mysql-bin.000003");
        } finally {
            dump.release();
        }
        assertThat(dumping).containsExactly("mysql-bin.000003:1378 #25");
        assertThat(connection.streamed()).isTrue();
    }

    @Test
    void withoutAPositionItStartsAtTheMastersEnd() {
        open(null, 4);
        loginWithTheCapturedGreeting();
        assertThat(sentQuery()).isEqualTo("SHOW MASTER STATUS");
        channel.writeInbound(packet(1, new byte[] {2}));
        channel.writeInbound(packet(2, column("File")));
        channel.writeInbound(packet(3, column("Position")));
        channel.writeInbound(packet(4, new byte[] {(byte) 0xFE, 0, 0, 2, 0}));
        channel.writeInbound(packet(5, row("mysql-bin.000002", "1234")));
        channel.writeInbound(packet(6, new byte[] {(byte) 0xFE, 0, 0, 2, 0}));
        for (int i = 0; i < 3; i++) {
            sentQuery();
            answerOk();
        }
        sent().release();
        assertThat(dumping).containsExactly("mysql-bin.000002:1234 #25");
    }

    @Test
    void eventsArriveAsTheMasterSentThemEvenAcrossPackets() {
        streaming();
        final List<byte[]> expected = new ArrayList<>();
        int sequence = 1;
        for (byte[] wire : Fixtures.packets(Fixtures.bytes("insert_transaction_stream"))) {
            final byte[] event = Arrays.copyOfRange(wire, 7, wire.length); // past the header and [00][EF][flag]
            expected.add(event);
            channel.writeInbound(packet(sequence++, withOkByte(event)));
        }
        // an event of 16 MiB or more: [00] + its first 16 MiB - 2 bytes, then the rest in a continuation packet
        final byte[] large = new byte[Packets.MAX_PAYLOAD + 100];
        Arrays.fill(large, (byte) 7);
        java.nio.ByteBuffer.wrap(large)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(EventHeader.EVENT_SIZE_OFFSET, large.length);
        channel.writeInbound(packet(sequence++, withOkByte(Arrays.copyOf(large, Packets.MAX_PAYLOAD - 1))));
        assertThat(events).hasSize(expected.size());
        channel.writeInbound(packet(sequence, Arrays.copyOfRange(large, Packets.MAX_PAYLOAD - 1, large.length)));
        expected.add(large);
        assertThat(events).containsExactlyElementsOf(expected);
        assertThat(connection.failure()).isNull();
    }

    @Test
    void anErrInsteadOfEventsEndsTheConnectionForGood() {
        streaming();
        channel.writeInbound(new ErrPacket(1236, "HY000", "Could not find first log file name in binary log index file")
                .toPacket(channel.alloc(), 1));
        assertThat(channel.isOpen()).isFalse();
        assertThat(connection.failure())
                .isInstanceOf(MasterRefusedException.class)
                .hasMessageContaining("mysql-bin.000003:1378")
                .hasMessageContaining("#1236 Could not find first log file name");
    }

    @Test
    void aWrongPasswordIsARefusalNamingTheUser() {
        open("mysql-bin.000003", 4);
        channel.writeInbound(packet(0, HexFormat.of().parseHex(GREETING)));
        sent().release();
        channel.writeInbound(
                new ErrPacket(1045, "28000", "Access denied for user 'repl'@'localhost'").toPacket(channel.alloc(), 2));
        assertThat(channel.isOpen()).isFalse();
        assertThat(connection.failure())
                .isInstanceOf(MasterRefusedException.class)
                .hasMessage("the master refused the login of repl: #1045 Access denied for user 'repl'@'localhost'");
    }

    @Test
    void tooManyConnectionsIsNotARefusal() {
        open("mysql-bin.000003", 4);
        channel.writeInbound(new ErrPacket(1040, "08004", "Too many connections").toPacket(channel.alloc(), 0));
        assertThat(connection.failure()).isInstanceOf(MasterErrorException.class);
        assertThat(((MasterErrorException) connection.failure()).errorCode()).isEqualTo(1040);
    }

    @Test
    void cachingSha2FullAuthenticationAsksForTheKeyAndSendsThePasswordEncrypted() throws Exception {
        open("mysql-bin.000003", 4);
        channel.writeInbound(packet(0, HexFormat.of().parseHex(GREETING)));
        sent().release();
        final byte[] scramble = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f1011121314");
        final ByteBuf switchRequest = Unpooled.buffer().writeByte(Packets.AUTH_SWITCH_REQUEST);
        switchRequest.writeCharSequence("caching_sha2_password\0", StandardCharsets.US_ASCII);
        switchRequest.writeBytes(scramble).writeByte(0);
        channel.writeInbound(new Packet(2, switchRequest));
        final Packet scrambled = sent();
        assertThat(scrambled.sequenceId()).isEqualTo(3);
        assertThat(ByteBufUtil.getBytes(scrambled.payload()))
                .isEqualTo(AuthResponses.cachingSha2("repl_pass".getBytes(StandardCharsets.UTF_8), scramble));
        scrambled.release();

        channel.writeInbound(packet(4, new byte[] {Packets.AUTH_MORE_DATA, 4}));
        final Packet keyRequest = sent();
        assertThat(ByteBufUtil.getBytes(keyRequest.payload())).containsExactly(2);
        keyRequest.release();

        final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        final String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder()
                        .encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        final ByteBuf key = Unpooled.buffer().writeByte(Packets.AUTH_MORE_DATA);
        key.writeCharSequence(pem, StandardCharsets.US_ASCII);
        channel.writeInbound(new Packet(6, key));
        final Packet encrypted = sent();
        assertThat(encrypted.sequenceId()).isEqualTo(7);
        assertThat(encrypted.length()).isEqualTo(256);
        encrypted.release();

        channel.writeInbound(packet(8, OK));
        assertThat(sentQuery()).startsWith("SET @master_binlog_checksum");
        assertThat(connection.failure()).isNull();
    }

    @Test
    void silenceFromTheMasterEndsTheConnection() {
        streaming();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(channel.isOpen()).isFalse();
        assertThat(connection.failure()).hasMessageContaining("nothing from the master for 3 s");
    }

    @Test
    void anEventWhoseHeaderDisagreesWithItsPacketIsAClearError() {
        streaming();
        final byte[] event = Arrays.copyOfRange(
                Fixtures.packets(Fixtures.bytes("insert_transaction_stream")).get(0), 7, 60);
        channel.writeInbound(packet(1, withOkByte(event)));
        assertThat(events).isEmpty();
        assertThat(channel.isOpen()).isFalse();
        assertThat(connection.failure())
                .isInstanceOf(BinlogCaptureException.class)
                .hasMessageContaining("an event packet of 53 bytes");
    }

    @Test
    void aSpanningEventThatClaimsGigabytesIsRefusedBeforeAnythingIsAllocated() {
        streaming();
        final byte[] first = spanningStart(Integer.MAX_VALUE);
        channel.writeInbound(packet(1, withOkByte(first)));
        assertThat(channel.isOpen()).isFalse();
        assertThat(connection.failure())
                .isInstanceOf(BinlogCaptureException.class)
                .hasMessageContaining("says in its header that it has 2147483647 bytes");
    }

    @Test
    void aSpanningEventLongerThanItsHeaderSaysIsAClearError() {
        streaming();
        final int declared = Packets.MAX_PAYLOAD + 10;
        channel.writeInbound(packet(1, withOkByte(spanningStart(declared))));
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(packet(2, new byte[100]));
        assertThat(events).isEmpty();
        assertThat(channel.isOpen()).isFalse();
        assertThat(connection.failure())
                .isInstanceOf(BinlogCaptureException.class)
                .hasMessageContaining("header says " + declared + " bytes goes on past that");
    }

    /** The first MAX_PAYLOAD - 1 bytes of an event whose header gives {@code size}. */
    private static byte[] spanningStart(final int size) {
        final byte[] start = new byte[Packets.MAX_PAYLOAD - 1];
        java.nio.ByteBuffer.wrap(start)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(EventHeader.EVENT_SIZE_OFFSET, size);
        return start;
    }

    @Test
    void silenceWhileTheOwnerDoesNotReadIsExpected() {
        streaming();
        channel.config().setAutoRead(false);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(channel.isOpen()).isTrue();
        assertThat(connection.failure()).isNull();
    }

    @Test
    void garbageInsteadOfAGreetingIsAClearError() {
        open("mysql-bin.000003", 4);
        channel.writeInbound(packet(0, new byte[] {9, 9, 9}));
        assertThat(channel.isOpen()).isFalse();
        assertThat(connection.failure()).hasMessageContaining("protocol-10");
    }

    private void streaming() {
        open("mysql-bin.000003", 1378);
        loginWithTheCapturedGreeting();
        for (int i = 0; i < 3; i++) {
            sentQuery();
            answerOk();
        }
        sent().release();
    }

    private static byte[] withOkByte(final byte[] event) {
        final byte[] payload = new byte[event.length + 1];
        System.arraycopy(event, 0, payload, 1, event.length);
        return payload;
    }

    private static byte[] column(final String name) {
        final ByteBuf b = Unpooled.buffer();
        for (String s : new String[] {"def", "", "", "", name, ""}) {
            LenEnc.writeString(b, s);
        }
        b.writeByte(0x0c)
                .writeShortLE(33)
                .writeIntLE(255)
                .writeByte(0xFD)
                .writeShortLE(0)
                .writeByte(0)
                .writeShortLE(0);
        return ByteBufUtil.getBytes(b);
    }

    private static byte[] row(final String... values) {
        final ByteBuf b = Unpooled.buffer();
        for (String v : values) {
            LenEnc.writeString(b, v);
        }
        return ByteBufUtil.getBytes(b);
    }
}
