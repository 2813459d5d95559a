package org.semisync.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OK packets with and without the session-state block, using payloads captured from MariaDB 10.11. */
class OkPacketTest {
    /** COMMIT after BEGIN; INSERT (mariadb CLI): last_gtid=0-1-11, status AUTOCOMMIT|SESSION_STATE_CHANGED. */
    static final String COMMIT_OK = "0000000240000000130011096c6173745f67746964" + "06302d312d3131";
    /** Autocommit INSERT: affected 1, insert id 6, last_gtid=0-1-12. */
    static final String AUTOCOMMIT_INSERT_OK = "0001060240000000130011096c6173745f67746964" + "06302d312d3132";
    /** BEGIN: no trailer at all (MariaDB omits the empty info). */
    static final String BEGIN_OK = "00000003000000";

    static final long TRACK = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SESSION_TRACK;
    static final long NO_TRACK = Capabilities.CLIENT_PROTOCOL_41;

    static ByteBuf hex(final String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    }

    static String encodeHex(final OkPacket ok, final long caps) {
        final ByteBuf buf = ok.encode(UnpooledByteBufAllocator.DEFAULT, caps);
        try {
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void parsesMariaDbLastGtidAndReencodesByteForByte() {
        final ByteBuf in = hex(COMMIT_OK);
        final OkPacket ok = OkPacket.parse(in, TRACK);
        assertThat(in.readerIndex()).isZero();
        assertThat(ok.status()).isEqualTo(ServerStatus.AUTOCOMMIT | ServerStatus.SESSION_STATE_CHANGED);
        assertThat(ok.systemVariable("last_gtid")).contains("0-1-11");
        assertThat(ok.systemVariable("LAST_GTID")).contains("0-1-11");
        assertThat(ok.systemVariable("autocommit")).isEmpty();
        assertThat(encodeHex(ok, TRACK)).isEqualTo(COMMIT_OK);
        in.release();
    }

    @Test
    void parsesAffectedRowsAndInsertId() {
        final OkPacket ok = OkPacket.parse(hex(AUTOCOMMIT_INSERT_OK), TRACK);
        assertThat(ok.affectedRows()).isEqualTo(1);
        assertThat(ok.lastInsertId()).isEqualTo(6);
        assertThat(ok.systemVariable("last_gtid")).contains("0-1-12");
        assertThat(encodeHex(ok, TRACK)).isEqualTo(AUTOCOMMIT_INSERT_OK);
    }

    @Test
    void okWithoutInfoByteKeepsItsShape() {
        final OkPacket ok = OkPacket.parse(hex(BEGIN_OK), TRACK);
        assertThat(ok.status()).isEqualTo(ServerStatus.IN_TRANS | ServerStatus.AUTOCOMMIT);
        assertThat(ok.sessionState()).isEmpty();
        assertThat(encodeHex(ok, TRACK)).isEqualTo(BEGIN_OK);
        assertThat(encodeHex(ok, NO_TRACK)).isEqualTo(BEGIN_OK);
    }

    @Test
    void strippingClearsTheFlagAndCutsTheBlock() {
        final OkPacket stripped =
                OkPacket.parse(hex(AUTOCOMMIT_INSERT_OK), TRACK).withoutSessionState();
        assertThat(stripped.status()).isEqualTo(ServerStatus.AUTOCOMMIT);
        assertThat(encodeHex(stripped, NO_TRACK)).isEqualTo("00010602000000");
        assertThat(encodeHex(stripped, TRACK)).isEqualTo("00010602000000");
    }

    @Test
    void infoIsLengthEncodedOnlyUnderSessionTrack() {
        final OkPacket ok = new OkPacket(Packets.OK, 0, 0, ServerStatus.AUTOCOMMIT, 0, "Rows matched: 0", List.of());
        final String text = ByteBufUtil.hexDump("Rows matched: 0".getBytes());
        assertThat(encodeHex(ok, NO_TRACK)).isEqualTo("00000002000000" + text);
        assertThat(encodeHex(ok, TRACK)).isEqualTo("000000020000000f" + text);
        assertThat(OkPacket.parse(hex(encodeHex(ok, NO_TRACK)), NO_TRACK).info())
                .isEqualTo("Rows matched: 0");
        assertThat(OkPacket.parse(hex(encodeHex(ok, TRACK)), TRACK).info()).isEqualTo("Rows matched: 0");
    }

    @Test
    void mysqlGtidEntryRoundTrips() {
        final String gtid = "3e11fa47-71ca-11e1-9e33-c80aa9429562:23";
        final OkPacket ok = new OkPacket(
                Packets.OK,
                1,
                0,
                ServerStatus.AUTOCOMMIT | ServerStatus.SESSION_STATE_CHANGED,
                0,
                "",
                List.of(SessionStateChange.gtids(gtid)));
        final OkPacket back = OkPacket.parse(hex(encodeHex(ok, TRACK)), TRACK);
        assertThat(back.trackedGtids()).contains(gtid);
        assertThat(back.sessionState()).containsExactly(SessionStateChange.gtids(gtid));
        assertThat(back.systemVariable("last_gtid")).isEmpty();
    }

    @Test
    void retainKeepsOtherEntriesAndTheFlag() {
        final OkPacket ok = new OkPacket(
                Packets.OK,
                0,
                0,
                ServerStatus.SESSION_STATE_CHANGED,
                0,
                "",
                List.of(
                        SessionStateChange.systemVariable("autocommit", "OFF"),
                        SessionStateChange.systemVariable("last_gtid", "0-1-5")));
        final OkPacket kept = ok.retainSessionState(
                c -> c.systemVariable().map(v -> !v[0].equals("last_gtid")).orElse(true));
        assertThat(kept.status()).isEqualTo(ServerStatus.SESSION_STATE_CHANGED);
        assertThat(kept.systemVariable("autocommit")).contains("OFF");
        assertThat(kept.systemVariable("last_gtid")).isEmpty();
        final OkPacket none = ok.retainSessionState(c -> false);
        assertThat(none.status()).isZero();
    }

    @Test
    void okAsEofMarkerIsAccepted() {
        final OkPacket ok = OkPacket.parse(hex("fe00000240000000130011096c6173745f67746964" + "06302d312d3131"), TRACK);
        assertThat(ok.marker()).isEqualTo(Packets.EOF);
        assertThat(ok.systemVariable("last_gtid")).contains("0-1-11");
    }

    @Test
    void malformedBlocksAreRejectedClearly() {
        // block length 0x13 but only 3 bytes follow
        assertThatThrownBy(() -> OkPacket.parse(hex("00000002400000001300110a"), TRACK))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("session-state block");
        // entry claims 0x20 bytes inside a 3-byte block
        assertThatThrownBy(() -> OkPacket.parse(hex("000000024000000003002001"), TRACK))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("session-state entry");
        assertThatThrownBy(() -> OkPacket.parse(hex("000000"), TRACK))
                .isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("status");
        assertThatThrownBy(() -> OkPacket.parse(hex("ff0000"), TRACK)).isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> OkPacket.parse(Unpooled.EMPTY_BUFFER, TRACK))
                .isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void stateWithoutFlagCannotBeBuiltNorSentToANonTrackingPeer() {
        assertThatThrownBy(() ->
                        new OkPacket(Packets.OK, 0, 0, 0, 0, "", List.of(SessionStateChange.systemVariable("a", "b"))))
                .isInstanceOf(IllegalArgumentException.class);
        final OkPacket ok = OkPacket.parse(hex(COMMIT_OK), TRACK);
        assertThatThrownBy(() -> ok.encode(UnpooledByteBufAllocator.DEFAULT, NO_TRACK))
                .isInstanceOf(IllegalStateException.class);
    }
}
