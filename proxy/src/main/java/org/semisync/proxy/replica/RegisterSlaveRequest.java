package org.semisync.proxy.replica;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.MalformedPacketException;

/**
 * COM_REGISTER_SLAVE: {@code [15][server_id u32][host][user][password][port u16][rank u32][master_id u32]}, strings
 * prefixed by a one-byte length. The proxy forwards it to the master (which checks REPLICATION SLAVE) and keeps the
 * parsed form to name the replica.
 */
public record RegisterSlaveRequest(long serverId, String host, String user, String password, int port) {

    /** Parses a whole command payload (command byte included) without consuming it. */
    public static RegisterSlaveRequest parse(final ByteBuf payload) {
        final ByteBuf in = payload.duplicate();
        try {
            final int command = in.readUnsignedByte();
            if (command != Commands.COM_REGISTER_SLAVE) {
                throw new MalformedPacketException(
                        "not a COM_REGISTER_SLAVE: command 0x" + Integer.toHexString(command));
            }
            final long serverId = in.readUnsignedIntLE();
            final String host = shortString(in);
            final String user = shortString(in);
            final String password = shortString(in);
            final int port = in.readUnsignedShortLE();
            // rpl_recovery_rank and master_id follow; both are always 0 and unused.
            return new RegisterSlaveRequest(serverId, host, user, password, port);
        } catch (IndexOutOfBoundsException e) {
            throw new MalformedPacketException("truncated COM_REGISTER_SLAVE of " + payload.readableBytes() + " bytes");
        }
    }

    private static String shortString(final ByteBuf in) {
        final int length = in.readUnsignedByte();
        return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }

    @Override
    public String toString() {
        // the password stays out of logs
        return "RegisterSlaveRequest[serverId=" + serverId + ", host=" + host + ", user=" + user + ", port=" + port
                + "]";
    }
}
