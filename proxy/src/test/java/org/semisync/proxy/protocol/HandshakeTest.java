package org.semisync.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Greeting and handshake response of a real MariaDB 10.11 replica connection (captured with tshark). */
class HandshakeTest {
    /** Server greeting payload, connection id 25, from replica_connect_semisync.pcapng. */
    static final String GREETING = "0a352e352e352d31302e31312e31392d4d6172696144422d302b646562313275312d6c6f6700"
            + "19000000563f7658353d734c00fef7080200ff81150000000000001d000000612531652b4350495c734e6a00"
            + "6d7973716c5f6e61746976655f70617373776f726400";

    /** The replica IO thread's handshake response (caps 0x0038a205, user repl). */
    static final String RESPONSE = "05a23800000000010800000000000000000000000000000000000000000000007265706c00"
            + "1481568d7fa19089910111dfc5ddc783accf15294c6d7973716c5f6e61746976655f70617373776f726400";

    private static ByteBuf hex(final String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    }

    @Test
    void parsesTheCapturedMariaDbGreeting() {
        final ByteBuf payload = hex(GREETING);
        final Handshake h = Handshake.parse(payload);
        assertThat(h.serverVersion()).isEqualTo("5.5.5-10.11.19-MariaDB-0+deb12u1-log");
        assertThat(h.displayVersion()).isEqualTo("10.11.19-MariaDB-0+deb12u1-log");
        assertThat(h.isMariaDb()).isTrue();
        assertThat(h.connectionId()).isEqualTo(25);
        assertThat(h.capabilities() & 0xFFFF_FFFFL).isEqualTo(0x81fff7feL);
        assertThat(h.capabilities() >>> 32).isEqualTo(0x1d);
        assertThat(Capabilities.has(h.capabilities(), Capabilities.CLIENT_COMPRESS))
                .isTrue();
        assertThat(Capabilities.has(h.capabilities(), Capabilities.CLIENT_SSL)).isFalse();
        payload.release();
    }

    @Test
    void rewritingCapabilitiesChangesOnlyTheFlagBytes() {
        final ByteBuf payload = hex(GREETING);
        final Handshake h = Handshake.parse(payload);
        final long offered = (h.capabilities() & ~Capabilities.FRAMING_CHANGING) | Capabilities.CLIENT_SSL;
        h.writeCapabilities(payload, offered);
        final Handshake again = Handshake.parse(payload);
        assertThat(again.capabilities()).isEqualTo(offered);
        assertThat(Capabilities.has(again.capabilities(), Capabilities.CLIENT_COMPRESS))
                .isFalse();
        assertThat(Capabilities.has(again.capabilities(), Capabilities.CLIENT_SSL))
                .isTrue();
        assertThat(again.serverVersion()).isEqualTo(h.serverVersion());
        // everything but the two capability words (and the unchanged extended word) is byte-identical
        final byte[] before = ByteBufUtil.decodeHexDump(GREETING);
        final byte[] after = ByteBufUtil.getBytes(payload);
        int differing = 0;
        for (int i = 0; i < before.length; i++) {
            if (before[i] != after[i]) {
                differing++;
            }
        }
        assertThat(differing).isBetween(1, 4);
        assertThat(after.length).isEqualTo(before.length);
        payload.release();
    }

    @Test
    void readsAndPatchesTheClientResponse() {
        final ByteBuf payload = hex(RESPONSE);
        assertThat(HandshakeResponse.capabilities(payload) & 0xFFFF_FFFFL).isEqualTo(0x0038a205L);
        assertThat(HandshakeResponse.isSslRequest(payload)).isFalse();
        assertThat(HandshakeResponse.user(payload)).isEqualTo("repl");
        HandshakeResponse.writeCapabilities(payload, 0x0038a205L | Capabilities.CLIENT_SESSION_TRACK);
        assertThat(Capabilities.has(HandshakeResponse.capabilities(payload), Capabilities.CLIENT_SESSION_TRACK))
                .isTrue();
        assertThat(HandshakeResponse.user(payload)).isEqualTo("repl");
        payload.release();
    }

    @Test
    void recognisesAnSslRequestAndRejectsGarbage() {
        final ByteBuf ssl = Unpooled.buffer(32);
        ssl.writeIntLE((int) (Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SSL))
                .writeIntLE(1 << 24);
        ssl.writeByte(8).writeZero(23);
        assertThat(HandshakeResponse.isSslRequest(ssl)).isTrue();
        assertThat(HandshakeResponse.user(ssl)).isEmpty();
        ssl.release();
        final ByteBuf shortOne = hex("0102");
        assertThatThrownBy(() -> HandshakeResponse.capabilities(shortOne)).isInstanceOf(MalformedPacketException.class);
        shortOne.release();
        final ByteBuf notGreeting = hex("0935");
        assertThatThrownBy(() -> Handshake.parse(notGreeting)).hasMessageContaining("protocol-10");
        notGreeting.release();
        final ByteBuf truncated = hex("0a352e3500190000");
        assertThatThrownBy(() -> Handshake.parse(truncated)).hasMessageContaining("truncated");
        truncated.release();
    }
}
