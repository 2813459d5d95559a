package org.semisync.proxy.replica;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Byte fixtures captured from a MariaDB 10.11 master and replica (src/test/resources/replica-connect). */
public final class Fixtures {
    private Fixtures() {}

    /** The TCP payload of one captured frame. */
    public static byte[] bytes(final String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/replica-connect/" + name + ".hex")) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Wire packets (header included) of a captured frame holding several whole packets. */
    public static List<byte[]> packets(final byte[] wire) {
        final List<byte[]> packets = new ArrayList<>();
        int offset = 0;
        while (offset < wire.length) {
            final int length = (wire[offset] & 0xFF) | (wire[offset + 1] & 0xFF) << 8 | (wire[offset + 2] & 0xFF) << 16;
            final byte[] packet = new byte[4 + length];
            System.arraycopy(wire, offset, packet, 0, packet.length);
            packets.add(packet);
            offset += packet.length;
        }
        return packets;
    }

    /** Payload of a wire packet, header removed. */
    public static byte[] payload(final byte[] packet) {
        final byte[] payload = new byte[packet.length - 4];
        System.arraycopy(packet, 4, payload, 0, payload.length);
        return payload;
    }
}
