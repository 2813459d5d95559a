package org.semisync.proxy.replica;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.MalformedPacketException;

/**
 * A replica's request for the binlog stream: COM_BINLOG_DUMP (file/position; MariaDB also in GTID mode, with the start
 * state in {@code @slave_connect_state}) or MySQL's COM_BINLOG_DUMP_GTID (encoded Gtid_set).
 *
 * @param command {@link Commands#COM_BINLOG_DUMP} or {@link Commands#COM_BINLOG_DUMP_GTID}
 * @param flags dump flags (bit 0 non-blocking; bit 1 MariaDB annotate rows / MySQL heartbeat v2)
 * @param serverId the replica's server_id
 * @param file requested binlog file; empty for "the first one" or in GTID mode
 * @param position requested position in {@code file}
 * @param gtidSet MySQL encoded Gtid_set (empty for COM_BINLOG_DUMP)
 */
public record DumpRequest(int command, int flags, long serverId, String file, long position, byte[] gtidSet) {
    /** Flag bit: send EOF at the end of the binlog instead of waiting. */
    public static final int NON_BLOCK = 0x01;

    /** Parses a whole command payload (command byte included) without consuming it. */
    public static DumpRequest parse(final ByteBuf payload) {
        final ByteBuf in = payload.duplicate();
        try {
            final int command = in.readUnsignedByte();
            if (command == Commands.COM_BINLOG_DUMP) {
                final long position = in.readUnsignedIntLE();
                final int flags = in.readUnsignedShortLE();
                final long serverId = in.readUnsignedIntLE();
                final String file = in.readCharSequence(in.readableBytes(), StandardCharsets.UTF_8)
                        .toString();
                return new DumpRequest(command, flags, serverId, file, position, new byte[0]);
            }
            if (command == Commands.COM_BINLOG_DUMP_GTID) {
                final int flags = in.readUnsignedShortLE();
                final long serverId = in.readUnsignedIntLE();
                final int nameSize = checkedLength(in.readUnsignedIntLE(), in, "file name");
                final String file =
                        in.readCharSequence(nameSize, StandardCharsets.UTF_8).toString();
                final long position = in.readLongLE();
                final int dataSize = checkedLength(in.readUnsignedIntLE(), in, "GTID set");
                final byte[] gtidSet = ByteBufUtil.getBytes(in, in.readerIndex(), dataSize);
                return new DumpRequest(command, flags, serverId, file, position, gtidSet);
            }
            throw new MalformedPacketException("not a binlog dump command: 0x" + Integer.toHexString(command));
        } catch (IndexOutOfBoundsException e) {
            throw new MalformedPacketException(
                    "truncated binlog dump command of " + payload.readableBytes() + " bytes");
        }
    }

    private static int checkedLength(final long length, final ByteBuf in, final String what) {
        if (length > in.readableBytes()) {
            throw new MalformedPacketException("COM_BINLOG_DUMP_GTID " + what + " length " + length + " exceeds the "
                    + in.readableBytes() + " bytes left");
        }
        return (int) length;
    }

    /** Whether the replica wants EOF at the end of the binlog rather than a stream that waits. */
    public boolean nonBlocking() {
        return (flags & NON_BLOCK) != 0;
    }
}
