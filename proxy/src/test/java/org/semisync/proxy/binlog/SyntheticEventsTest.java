package org.semisync.proxy.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.semisync.proxy.replica.Fixtures;

class SyntheticEventsTest {
    /** The first packet of a real MariaDB GTID dump: [00][EF][00] + fake Rotate to mysql-bin.000001:4. */
    @Test
    void fakeRotateMatchesTheMastersByteForByte() {
        final List<byte[]> packets = Fixtures.packets(Fixtures.bytes("dump_start_stream"));
        final byte[] payload = Fixtures.payload(packets.get(0));
        final byte[] captured = Arrays.copyOfRange(payload, 3, payload.length);
        assertThat(SyntheticEvents.fakeRotate(1, "mysql-bin.000001", 4, true)).isEqualTo(captured);
    }

    @Test
    void fakeRotateWithoutChecksum() {
        final byte[] event = SyntheticEvents.fakeRotate(7, "bin.000002", 0x1_0000_0004L, false);
        assertThat(event).hasSize(19 + 8 + 10);
        assertThat(EventHeader.type(event)).isEqualTo(EventHeader.ROTATE_EVENT);
        assertThat(EventHeader.eventSize(event)).isEqualTo(event.length);
        assertThat(EventHeader.logPos(event)).isZero();
        assertThat(EventHeader.readU64(event, 19)).isEqualTo(0x1_0000_0004L);
        assertThat(new String(event, 27, 10, StandardCharsets.UTF_8)).isEqualTo("bin.000002");
    }

    @Test
    void heartbeatCarriesFileAndPosition() {
        final byte[] event = SyntheticEvents.heartbeat(1, "mysql-bin.000003", 1621, true);
        assertThat(event).hasSize(19 + 16 + 4);
        assertThat(EventHeader.type(event)).isEqualTo(EventHeader.HEARTBEAT_LOG_EVENT);
        assertThat(EventHeader.logPos(event)).isEqualTo(1621);
        assertThat(EventHeader.serverId(event)).isEqualTo(1);
        assertThat(event[17]).isEqualTo((byte) EventHeader.LOG_EVENT_ARTIFICIAL_F);
        assertThat(EventHeader.readU32(event, 0)).as("timestamp").isZero();
        assertThat(new String(event, 19, 16, StandardCharsets.UTF_8)).isEqualTo("mysql-bin.000003");
        assertThat(Crc32.verify(event)).isTrue();
        event[20] ^= 1;
        assertThat(Crc32.verify(event)).isFalse();
        assertThatThrownBy(() -> SyntheticEvents.heartbeat(1, "f", 1L << 32, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Every event of the captured stream start checks out with the same CRC32 code. */
    @Test
    void crcMatchesCapturedEvents() {
        for (byte[] packet : Fixtures.packets(Fixtures.bytes("dump_start_stream"))) {
            final byte[] payload = Fixtures.payload(packet);
            assertThat(Crc32.verify(Arrays.copyOfRange(payload, 3, payload.length)))
                    .isTrue();
        }
    }
}
