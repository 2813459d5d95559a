package org.semisync.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import org.semisync.proxy.binlog.BinlogCaptureException;
import org.semisync.proxy.binlog.EventHeader;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.protocol.Commands;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.Handshake;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.PacketDecoder;
import org.semisync.proxy.protocol.PacketEncoder;
import org.semisync.proxy.protocol.Packets;
import org.semisync.proxy.protocol.TextResultReader;

/**
 * One connection of the tail to the master, from the greeting to the end of its dump: logs in ({@link MasterLogin}),
 * sends the setup queries ({@link DumpSetup}) and COM_BINLOG_DUMP, then hands every event to the listener as the bytes
 * the master sent (an event of 16 MiB or more arrives in several packets and is put together first). Anything that
 * ends the connection is kept as {@link #failure()} and the channel is closed; the owner decides what comes next.
 */
final class DumpConnection extends ChannelInboundHandlerAdapter {
    /** Told on the channel's event loop. */
    interface Listener {
        /** The dump command is sent; events follow. */
        void dumping(Handshake greeting, String file, long position);

        /** One event, exactly as the master sent it (without the packet's OK byte). */
        void event(byte[] event);
    }

    private enum Phase {
        GREETING,
        AUTH,
        SETUP,
        STREAM
    }

    /** The largest max_allowed_packet MariaDB and MySQL accept (1 GiB): no master writes a larger event. */
    static final int MAX_EVENT_SIZE = 1 << 30;

    private final MasterLogin login;
    private final DumpSetup setup;
    private final Listener listener;
    private final int idleSeconds;
    private Phase phase = Phase.GREETING;
    private TextResultReader answer;
    /** The start of an event that continues in the next packet; null otherwise. */
    private ByteBuf partial;

    private volatile Throwable failure;

    /** @param idleSeconds the connection counts as lost after this long without a packet, heartbeats included */
    DumpConnection(final MasterLogin login, final DumpSetup setup, final Listener listener, final int idleSeconds) {
        this.login = login;
        this.setup = setup;
        this.listener = listener;
        this.idleSeconds = idleSeconds;
    }

    /** Connects to {@code master} on {@code loop} with this handler behind the packet codec and an idle check. */
    ChannelFuture connect(
            final EventLoop loop,
            final Class<? extends SocketChannel> channelType,
            final HostPort master,
            final int connectTimeoutMillis) {
        return new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(final SocketChannel ch) {
                        ch.pipeline()
                                .addLast("packets", new PacketDecoder())
                                .addLast("encoder", PacketEncoder.INSTANCE)
                                .addLast("idle", new IdleStateHandler(idleSeconds, 0, 0))
                                .addLast("dump", DumpConnection.this);
                    }
                })
                .connect(master.host(), master.port());
    }

    /** Why the connection ended; null while it lasts or when it was closed from outside without an error. */
    Throwable failure() {
        return failure;
    }

    /** Whether the dump was under way (the master accepted the dump command) when the connection ended. */
    boolean streamed() {
        return phase == Phase.STREAM;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        final Packet packet = (Packet) msg;
        try {
            if (failure == null) {
                read(ctx, packet);
            }
        } catch (RuntimeException e) {
            fail(ctx, e);
        } finally {
            packet.release();
        }
    }

    private void read(final ChannelHandlerContext ctx, final Packet packet) {
        switch (phase) {
            case GREETING -> {
                ctx.write(login.respond(packet, ctx.alloc()));
                phase = Phase.AUTH;
            }
            case AUTH -> {
                if (login.onAuthPacket(packet, ctx.alloc(), ctx::write)) {
                    setup.master(login.greeting());
                    phase = Phase.SETUP;
                    next(ctx);
                }
            }
            case SETUP -> {
                final TextResultReader.Result result = answer.onPacket(packet);
                if (result != null) {
                    setup.answered(result);
                    next(ctx);
                }
            }
            case STREAM -> stream(packet);
        }
    }

    /** Sends the next setup query, or the dump command when none is left. */
    private void next(final ChannelHandlerContext ctx) {
        final String query = setup.query();
        if (query != null) {
            answer = new TextResultReader(login.capabilities());
            ctx.write(Commands.query(ctx.alloc(), query));
            return;
        }
        ctx.write(new Packet(0, setup.dumpCommand(ctx.alloc())));
        phase = Phase.STREAM;
        listener.dumping(login.greeting(), setup.file(), setup.position());
    }

    private void stream(final Packet packet) {
        if (partial != null) {
            if (packet.payload().readableBytes() > partial.writableBytes()) {
                throw new BinlogCaptureException(
                        "an event whose header says " + partial.capacity() + " bytes goes on past that in its packets");
            }
            partial.writeBytes(packet.payload());
            if (!packet.continues()) {
                final byte[] event = ByteBufUtil.getBytes(partial);
                partial.release();
                partial = null;
                deliver(event);
            }
            return;
        }
        final ByteBuf payload = packet.payload();
        switch (packet.firstByte()) {
            case Packets.OK -> {
                if (packet.continues()) {
                    final int size = spanningEventSize(payload);
                    partial = payload.alloc().heapBuffer(size, size);
                    partial.writeBytes(payload, payload.readerIndex() + 1, payload.readableBytes() - 1);
                } else {
                    deliver(ByteBufUtil.getBytes(payload, payload.readerIndex() + 1, payload.readableBytes() - 1));
                }
            }
            case Packets.ERR -> {
                // e.g. 1236: the position is not in the master's binlog (any more); asking again gets the same answer
                final ErrPacket err = ErrPacket.parse(payload);
                throw new MasterRefusedException("the master ended the dump from " + setup.file() + ":"
                        + setup.position() + ": #" + err.errorCode() + " " + err.message());
            }
            case Packets.EOF -> throw new IllegalStateException("the master ended the dump (EOF)");
            default ->
                throw new IllegalStateException(
                        "not a binlog event packet: first byte 0x" + Integer.toHexString(packet.firstByte()));
        }
    }

    /**
     * The size an event spread over several packets announces in its header; the buffer that puts it back together is
     * allocated once at that size, so a header that lies (or garbage) must not make it allocate gigabytes.
     */
    private static int spanningEventSize(final ByteBuf firstPayload) {
        final long size = firstPayload.getUnsignedIntLE(firstPayload.readerIndex() + 1 + EventHeader.EVENT_SIZE_OFFSET);
        // the first packet carries [00] and MAX_PAYLOAD - 1 bytes of the event, so a spanning event has at least those
        if (size < Packets.MAX_PAYLOAD - 1 || size > MAX_EVENT_SIZE) {
            throw new BinlogCaptureException("an event spread over several packets says in its header that it has "
                    + size + " bytes; expected " + (Packets.MAX_PAYLOAD - 1) + " to " + MAX_EVENT_SIZE);
        }
        return (int) size;
    }

    private void deliver(final byte[] event) {
        if (event.length < EventHeader.SIZE || EventHeader.eventSize(event) != event.length) {
            throw new BinlogCaptureException(
                    "an event packet of " + event.length + " bytes holds an event whose header says "
                            + (event.length < EventHeader.SIZE ? "nothing (too short)" : EventHeader.eventSize(event)));
        }
        listener.event(event);
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) {
        if (evt instanceof IdleStateEvent) {
            // while the owner does not read (a catch-up dump waiting for its replica), silence is expected
            if (ctx.channel().config().isAutoRead()) {
                fail(ctx, new IOException("nothing from the master for " + idleSeconds + " s (heartbeats included)"));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        fail(ctx, cause);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        if (partial != null) {
            partial.release();
            partial = null;
        }
        if (failure == null) {
            failure = new IOException("the master closed the connection"
                    + (phase == Phase.STREAM
                            ? " during the dump"
                            : " during the " + phase.name().toLowerCase()));
        }
        ctx.fireChannelInactive();
    }

    private void fail(final ChannelHandlerContext ctx, final Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }
}
