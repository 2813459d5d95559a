package org.semisync.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Just enough of a replica, over a raw socket through the proxy, to start a semi-sync dump. */
public final class FakeReplica {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public FakeReplica(final Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Logs in as the replication user and starts a semi-sync dump from {@code file}:4. */
    public void startSemiSyncDump(final String file) throws Exception {
        startSemiSyncDump(file, 4);
    }

    /** Logs in as the replication user and starts a semi-sync dump from {@code file:position}. */
    public void startSemiSyncDump(final String file, final long position) throws Exception {
        final byte[] greeting = read();
        final ByteBuffer g = ByteBuffer.wrap(greeting).order(ByteOrder.LITTLE_ENDIAN);
        g.position(1);
        while (g.get() != 0) {
            // server version
        }
        g.getInt(); // connection id
        final byte[] seed = new byte[20];
        g.get(seed, 0, 8);
        g.get(); // filler
        g.getShort(); // capabilities (low)
        g.get(); // charset
        g.getShort(); // status
        g.getShort(); // capabilities (high)
        g.get(); // auth data length
        g.position(g.position() + 10);
        g.get(seed, 8, 12);
        final byte[] user = "repl".getBytes(StandardCharsets.US_ASCII);
        final byte[] plugin = "mysql_native_password".getBytes(StandardCharsets.US_ASCII);
        final byte[] scramble = scramble("repl_pass", seed);
        final ByteBuffer r = ByteBuffer.allocate(32 + user.length + 1 + 1 + scramble.length + plugin.length + 1)
                .order(ByteOrder.LITTLE_ENDIAN);
        // LONG_PASSWORD | PROTOCOL_41 | TRANSACTIONS | SECURE_CONNECTION | PLUGIN_AUTH
        r.putInt(0x1 | 0x200 | 0x2000 | 0x8000 | 0x80000)
                .putInt(1 << 24)
                .put((byte) 33)
                .put(new byte[23]);
        r.put(user)
                .put((byte) 0)
                .put((byte) scramble.length)
                .put(scramble)
                .put(plugin)
                .put((byte) 0);
        send(1, r.array());
        expectOk("authentication");
        // without it a master logging checksums ends the dump (error 1236) right after the fake Rotate, and the
        // malformed ACK would race that close
        send(0, query("SET @master_binlog_checksum = @@global.binlog_checksum"));
        expectOk("SET @master_binlog_checksum");
        send(0, query("SET @rpl_semi_sync_slave = 1"));
        expectOk("SET @rpl_semi_sync_slave");
        final ByteBuffer register = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        register.put((byte) 0x15).putInt(99).put((byte) 0).put((byte) 0).put((byte) 0);
        register.putShort((short) 0).putInt(0).putInt(0);
        send(0, register.array());
        expectOk("COM_REGISTER_SLAVE");
        final byte[] name = file.getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer dump = ByteBuffer.allocate(11 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        dump.put((byte) 0x12)
                .putInt((int) position)
                .putShort((short) 0)
                .putInt(99)
                .put(name);
        send(0, dump.array());
        final byte[] rotate = read();
        assertThat(rotate[0]).as("an event packet").isEqualTo((byte) 0);
        assertThat(rotate[1]).as("semi-sync framed").isEqualTo((byte) 0xEF);
        // [00][EF][flag] then the event header: 4-byte timestamp, then the type; 0x0F = Format_description,
        // which the master sends only once it accepted the dump
        final byte[] formatDescription = read();
        assertThat(formatDescription[0])
                .as("the dump goes on past the Rotate, got %s", new String(formatDescription, StandardCharsets.UTF_8))
                .isEqualTo((byte) 0);
        assertThat(formatDescription[3 + 4]).as("Format_description").isEqualTo((byte) 0x0F);
    }

    public boolean readsEndOfStream() throws IOException {
        try {
            while (true) {
                read(); // events still in flight, then the end
            }
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    public void send(final int sequence, final byte[] payload) throws IOException {
        final byte[] header = {
            (byte) payload.length, (byte) (payload.length >> 8), (byte) (payload.length >> 16), (byte) sequence
        };
        out.write(header);
        out.write(payload);
        out.flush();
    }

    /** Ends the connection with a TCP reset (SO_LINGER 0), as a crashed or killed replica's host would. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private byte[] read() throws IOException {
        final int length = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        in.readUnsignedByte(); // sequence id
        final byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    private void expectOk(final String step) throws IOException {
        final byte[] answer = read();
        assertThat(answer[0])
                .as("%s answered OK, got %s", step, new String(answer, StandardCharsets.UTF_8))
                .isEqualTo((byte) 0);
    }

    private static byte[] query(final String sql) {
        final byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        final byte[] q = new byte[1 + text.length];
        q[0] = 0x03;
        System.arraycopy(text, 0, q, 1, text.length);
        return q;
    }

    /** mysql_native_password: SHA1(password) XOR SHA1(seed + SHA1(SHA1(password))). */
    private static byte[] scramble(final String password, final byte[] seed) throws Exception {
        final MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        final byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
        final byte[] stage2 = sha1.digest(stage1);
        sha1.update(seed);
        sha1.update(stage2);
        final byte[] mix = sha1.digest();
        for (int i = 0; i < mix.length; i++) {
            mix[i] ^= stage1[i];
        }
        return mix;
    }
}
