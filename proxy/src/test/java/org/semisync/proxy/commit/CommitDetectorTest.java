package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.OkPacket;
import org.semisync.proxy.protocol.Packets;
import org.semisync.proxy.protocol.ServerStatus;
import org.semisync.proxy.protocol.SessionStateChange;

/** Commit detection and OK rewriting on captured MariaDB OKs. */
class CommitDetectorTest {
    static final long TRACK = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SESSION_TRACK;
    static final long NO_TRACK = Capabilities.CLIENT_PROTOCOL_41;
    /** JDBC autocommit=0 COMMIT on 10.11: status 0x4000, last_gtid=0-1-14. */
    static final String JDBC_COMMIT = "0000000040000000130011096c6173745f67746964" + "06302d312d3134";
    /** INSERT inside a transaction: no trailer. */
    static final String INSERT_IN_TRX = "00010503000000";

    static OkPacket ok(final String hex) {
        return OkPacket.parse(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex)), TRACK);
    }

    @Test
    void anOkWithANewGtidIsACommitAndARepeatIsNot() {
        final CommitDetector detector = new CommitDetector();
        assertThat(detector.committedGtid(ok(INSERT_IN_TRX))).isEmpty();
        assertThat(detector.committedGtid(ok(JDBC_COMMIT))).contains("0-1-14");
        assertThat(detector.committedGtid(ok(JDBC_COMMIT))).isEmpty();
        detector.reset();
        assertThat(detector.committedGtid(ok(JDBC_COMMIT))).contains("0-1-14");
    }

    @Test
    void otherTrackedVariablesAreNotCommits() {
        final OkPacket autocommitChanged = new OkPacket(
                Packets.OK,
                0,
                0,
                ServerStatus.SESSION_STATE_CHANGED,
                0,
                "",
                List.of(SessionStateChange.systemVariable("autocommit", "OFF")));
        assertThat(new CommitDetector().committedGtid(autocommitChanged)).isEmpty();
    }

    @Test
    void mysqlOwnGtidIsACommit() {
        final OkPacket ok = new OkPacket(
                Packets.OK,
                1,
                0,
                ServerStatus.AUTOCOMMIT | ServerStatus.SESSION_STATE_CHANGED,
                0,
                "",
                List.of(SessionStateChange.gtids("3e11fa47-71ca-11e1-9e33-c80aa9429562:7")));
        assertThat(new CommitDetector().committedGtid(ok)).contains("3e11fa47-71ca-11e1-9e33-c80aa9429562:7");
    }

    @Test
    void clientWithoutSessionTrackGetsAPlainOk() {
        final OkRewriter rewriter = new OkRewriter(TRACK, NO_TRACK);
        assertThat(rewriter.passThrough()).isFalse();
        final OkPacket forClient = rewriter.forClient(ok(JDBC_COMMIT), false);
        final ByteBuf out = rewriter.encodeForClient(UnpooledByteBufAllocator.DEFAULT, forClient);
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("00000000000000");
        out.release();
    }

    @Test
    void clientWithSessionTrackKeepsItsOwnEntriesOnly() {
        final OkRewriter rewriter = new OkRewriter(TRACK, TRACK);
        final OkPacket both = new OkPacket(
                Packets.OK,
                0,
                0,
                ServerStatus.SESSION_STATE_CHANGED,
                0,
                "",
                List.of(
                        SessionStateChange.systemVariable("autocommit", "OFF"),
                        SessionStateChange.systemVariable("last_gtid", "0-1-20")));
        final OkPacket notAsked = rewriter.forClient(both, false);
        assertThat(notAsked.systemVariable("autocommit")).contains("OFF");
        assertThat(notAsked.systemVariable("last_gtid")).isEmpty();
        assertThat(rewriter.forClient(both, true)).isEqualTo(both);
        final OkPacket onlyGtid = rewriter.forClient(ok(JDBC_COMMIT), false);
        assertThat(onlyGtid.status() & ServerStatus.SESSION_STATE_CHANGED).isZero();
        assertThat(onlyGtid.sessionState()).isEmpty();
    }
}
