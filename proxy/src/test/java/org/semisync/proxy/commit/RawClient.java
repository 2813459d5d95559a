package org.semisync.proxy.commit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.Packet;

/**
 * A blocking, test-only MySQL client speaking the wire protocol directly, so tests see the master's OK packets byte
 * for byte. Password-less accounts only (mysql_native_password with an empty password).
 */
final class RawClient implements AutoCloseable {
    static final long BASE_CAPS = Capabilities.CLIENT_LONG_PASSWORD
            | Capabilities.CLIENT_PROTOCOL_41
            | Capabilities.CLIENT_TRANSACTIONS
            | Capabilities.CLIENT_SECURE_CONNECTION
            | Capabilities.CLIENT_PLUGIN_AUTH
            | Capabilities.CLIENT_MULTI_STATEMENTS
            | Capabilities.CLIENT_MULTI_RESULTS;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawClient(final int port, final String user, final long caps) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        read().release(); // server greeting
        final ByteBuf r = Unpooled.buffer();
        r.writeIntLE((int) caps).writeIntLE(1 << 24).writeByte(45).writeZero(23);
        r.writeBytes(user.getBytes(StandardCharsets.UTF_8)).writeByte(0);
        r.writeByte(0); // empty auth response
        r.writeBytes("mysql_native_password".getBytes(StandardCharsets.US_ASCII))
                .writeByte(0);
        write(1, r);
        Packet reply = read();
        if (reply.firstByte() == 0xFE) { // auth switch: an empty password answers with an empty response
            final int seq = reply.sequenceId() + 1;
            reply.release();
            write(seq, Unpooled.EMPTY_BUFFER);
            reply = read();
        }
        try {
            if (!reply.isOk()) {
                throw new IOException("login failed: " + (reply.isErr() ? ErrPacket.parse(reply.payload()) : reply));
            }
        } finally {
            reply.release();
        }
    }

    /** Sends COM_QUERY and returns the final packet of a non-result-set answer (OK or ERR); caller releases it. */
    Packet query(final String sql) throws IOException {
        final ByteBuf q = Unpooled.buffer().writeByte(0x03).writeBytes(sql.getBytes(StandardCharsets.UTF_8));
        write(0, q);
        Packet p = read();
        while (true) {
            if (p.isOk() || p.isErr()) {
                return p;
            }
            // a result set: skip to its closing EOF, which we return
            p.release();
            int eofs = 0;
            while (eofs < 2) {
                p = read();
                if (p.isEof()) {
                    eofs++;
                }
                if (eofs < 2) {
                    p.release();
                }
            }
            return p;
        }
    }

    private void write(final int seq, final ByteBuf payload) throws IOException {
        final byte[] bytes = new byte[payload.readableBytes()];
        payload.readBytes(bytes);
        payload.release();
        final byte[] header = {(byte) bytes.length, (byte) (bytes.length >> 8), (byte) (bytes.length >> 16), (byte) seq
        };
        out.write(header);
        out.write(bytes);
        out.flush();
    }

    private Packet read() throws IOException {
        final byte[] header = new byte[4];
        in.readFully(header);
        final int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        final byte[] payload = new byte[length];
        in.readFully(payload);
        return new Packet(header[3], Unpooled.wrappedBuffer(payload));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
