package org.semisync.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** OK packets captured from MariaDB 10.11 with last_gtid tracked (sandbox SESSION_TRACK.md). */
class OkPacketTest {
    private static ByteBuf hex(final String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    }

    @Test
    void readsLastGtidFromTheCommitOk() {
        final ByteBuf commit = hex("000000024000000013001109" + "6c6173745f67746964" + "06302d312d3131");
        final OkPacket ok = OkPacket.parseTracked(commit);
        assertThat(ok.gtid()).isEqualTo("0-1-11");
        final ByteBuf plain = ok.encodeUntracked(ByteBufAllocator.DEFAULT, Packets.OK);
        assertThat(ByteBufUtil.hexDump(plain)).isEqualTo("00000002000000");
        plain.release();
        commit.release();
    }

    @Test
    void autocommitInsertKeepsAffectedRowsAndInsertId() {
        final ByteBuf insert = hex("000106024000000013001109" + "6c6173745f67746964" + "06302d312d3132");
        final OkPacket ok = OkPacket.parseTracked(insert);
        assertThat(ok.gtid()).isEqualTo("0-1-12");
        final ByteBuf plain = ok.encodeUntracked(ByteBufAllocator.DEFAULT, Packets.OK);
        assertThat(ByteBufUtil.hexDump(plain)).isEqualTo("00010602000000");
        plain.release();
        insert.release();
    }

    @Test
    void statementsWithoutAGtidAndInfoStrings() {
        final ByteBuf begin = hex("0000000300000000");
        assertThat(OkPacket.parseTracked(begin).gtid()).isNull();
        begin.release();
        final String info = ByteBufUtil.hexDump("Rows matched: 0".getBytes());
        final ByteBuf update = hex("00000002000000" + "0f" + info);
        final OkPacket ok = OkPacket.parseTracked(update);
        final ByteBuf plain = ok.encodeUntracked(ByteBufAllocator.DEFAULT, Packets.OK);
        assertThat(ByteBufUtil.hexDump(plain)).isEqualTo("00000002000000" + info);
        plain.release();
        update.release();
    }

    @Test
    void readsMysqlOwnGtid() {
        final String gtid = "3e11fa47-71ca-11e1-9e33-c80aa9429562:23";
        final String g = ByteBufUtil.hexDump(gtid.getBytes());
        // [03][len][encoding 0][lenenc gtid]
        final String entry =
                "03" + String.format("%02x", gtid.length() + 2) + "00" + String.format("%02x", gtid.length()) + g;
        final ByteBuf ok = hex("00000002400000" + "00" + String.format("%02x", entry.length() / 2) + entry);
        assertThat(OkPacket.parseTracked(ok).gtid()).isEqualTo(gtid);
        ok.release();
    }
}
