package org.semisync.proxy.replica;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import org.semisync.proxy.binlog.RelayHub;
import org.semisync.proxy.protocol.MalformedPacketException;

/**
 * COM_REGISTER_SLAVE: {@code [0x15][server_id u32][host: u8 length + bytes][user][password][port u16][rank u32]
 * [master_id u32]}. Only the server id is required; a replica that reports no host is listed with its connection's
 * address, as MariaDB 10.5+ does.
 */
final class RegisterSlave {
    private RegisterSlave() {}

    static RelayHub.ReplicaHost parse(final ByteBuf payload, final SocketAddress from) {
        final ByteBuf p = payload.duplicate();
        if (p.readableBytes() < 5) {
            throw new MalformedPacketException("COM_REGISTER_SLAVE shorter than its server id");
        }
        p.skipBytes(1);
        final long serverId = p.readUnsignedIntLE();
        String host = "";
        int port = 0;
        if (p.isReadable()) {
            host = lengthPrefixed(p);
            lengthPrefixed(p); // report_user
            lengthPrefixed(p); // report_password
            if (p.readableBytes() < 2) {
                throw new MalformedPacketException("COM_REGISTER_SLAVE ends before its port");
            }
            port = p.readUnsignedShortLE();
        }
        if (host.isEmpty() && from instanceof InetSocketAddress address) {
            host = address.getHostString();
        }
        return new RelayHub.ReplicaHost(serverId, host, port);
    }

    private static String lengthPrefixed(final ByteBuf p) {
        if (!p.isReadable()) {
            throw new MalformedPacketException("COM_REGISTER_SLAVE ends inside its strings");
        }
        final int length = p.readUnsignedByte();
        if (p.readableBytes() < length) {
            throw new MalformedPacketException("COM_REGISTER_SLAVE string longer than the packet");
        }
        return p.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }
}
