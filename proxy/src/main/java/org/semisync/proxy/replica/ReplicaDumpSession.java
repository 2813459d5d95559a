package org.semisync.proxy.replica;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.semisync.proxy.binlog.BinlogRing;
import org.semisync.proxy.binlog.EventHeader;
import org.semisync.proxy.binlog.RawEvent;
import org.semisync.proxy.binlog.ReplicationEvents;
import org.semisync.proxy.binlog.SyntheticEvents;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.MalformedPacketException;
import org.semisync.proxy.protocol.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one replica's binlog dump from the ring, on the replica's event loop: fake Rotate, Format_description, then
 * the master's events under the master's file names and positions, framed for semi-sync, with heartbeats while idle. It
 * reads the replica's ACKs from the same connection. Writes only while the channel is writable, so a slow replica costs
 * nothing but its own cursor; one that falls a ring-length behind is disconnected with an error.
 */
public final class ReplicaDumpSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaDumpSession.class);
    /** ER_MASTER_FATAL_ERROR_READING_BINLOG: the replica's IO thread stops and reports it. */
    static final int ER_MASTER_FATAL_ERROR_READING_BINLOG = 1236;

    private final DumpSettings settings;
    private final long startSequence;
    private final String startFile;
    private final long startPosition;
    private final BinlogRing ring;
    private final ReplicationEvents events;
    private final AckCounters acks;
    private final Supplier<byte[]> formatDescription;
    private final SemiSyncFramer framer;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable wakeUp = this::scheduleDrain;

    private Channel channel;
    private long cursor;
    private String file;
    private long position;
    private boolean sentSinceHeartbeat;
    private boolean closed;
    private ScheduledFuture<?> heartbeat;

    /**
     * @param startSequence ring sequence of the first event to send (its start is {@code startFile:startPosition})
     * @param formatDescription the current Format_description as the master sent it
     */
    public ReplicaDumpSession(
            final DumpSettings settings,
            final long startSequence,
            final String startFile,
            final long startPosition,
            final BinlogRing ring,
            final ReplicationEvents events,
            final AckCounters acks,
            final Supplier<byte[]> formatDescription) {
        this.settings = settings;
        this.startSequence = startSequence;
        this.startFile = startFile;
        this.startPosition = startPosition;
        this.ring = ring;
        this.events = events;
        this.acks = acks;
        this.formatDescription = formatDescription;
        this.framer = new SemiSyncFramer(settings.semiSync(), 1);
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx) {
        channel = ctx.channel();
        cursor = startSequence;
        file = startFile;
        position = startPosition;
        final byte[] fd = formatDescription.get();
        final boolean crc32 = fd[fd.length - EventHeader.CHECKSUM_SIZE - 1] == 1;
        send(SyntheticEvents.fakeRotate(settings.masterServerId(), file, position, crc32), false);
        final RawEvent first = startSequence <= ring.published() ? ring.read(startSequence) : null;
        final boolean fdIsNext = first != null && first.type() == EventHeader.FORMAT_DESCRIPTION_EVENT;
        if (!fdIsNext) {
            // The dump starts past the file's Format_description: re-send it with log_pos 0, as the master does, so
            // the replica knows the event format without counting the bytes into its position.
            send(outOfBand(fd, crc32), false);
        }
        events.replicaConnected(settings.replicaId(), file, position);
        ring.addReader(wakeUp);
        if (settings.heartbeatPeriodNanos() > 0) {
            heartbeat = channel.eventLoop()
                    .scheduleAtFixedRate(
                            this::heartbeat,
                            settings.heartbeatPeriodNanos(),
                            settings.heartbeatPeriodNanos(),
                            TimeUnit.NANOSECONDS);
        }
        LOG.info(
                "replica - {} dump started at {}:{} (semi-sync {})",
                settings.replicaId(),
                file,
                position,
                settings.semiSync() ? "on" : "off");
        drain();
    }

    private static byte[] outOfBand(final byte[] fd, final boolean crc32) {
        final byte[] copy = fd.clone();
        copy[13] = copy[14] = copy[15] = copy[16] = 0;
        if (crc32) {
            final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(copy, 0, copy.length - 4);
            final long value = crc.getValue();
            for (int i = 0; i < 4; i++) {
                copy[copy.length - 4 + i] = (byte) (value >>> (8 * i));
            }
        }
        return copy;
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(() -> {
                drainScheduled.set(false);
                drain();
            });
        }
    }

    /** Sends published events while the replica keeps up; stops at the end of the ring or when the socket is full. */
    void drain() {
        if (closed) {
            return;
        }
        final long published = ring.published();
        boolean wrote = false;
        while (cursor <= published && channel.isWritable()) {
            final RawEvent event = ring.read(cursor);
            if (event == null) {
                fail("replica fell more than " + ring.size() + " events behind the proxy's ring");
                return;
            }
            send(event.bytes(), event.endsTransaction());
            wrote = true;
            cursor++;
            if (event.type() == EventHeader.ROTATE_EVENT) {
                final int nameEnd = event.bytes().length - (isCrc(event) ? EventHeader.CHECKSUM_SIZE : 0);
                file = new String(
                        event.bytes(), EventHeader.SIZE + 8, nameEnd - EventHeader.SIZE - 8, StandardCharsets.UTF_8);
                position = EventHeader.readU64(event.bytes(), EventHeader.SIZE);
            } else {
                file = event.file();
                position = event.endPosition();
            }
        }
        if (wrote) {
            sentSinceHeartbeat = true;
            channel.flush();
        }
    }

    private boolean isCrc(final RawEvent event) {
        final byte[] fd = formatDescription.get();
        return fd[fd.length - EventHeader.CHECKSUM_SIZE - 1] == 1;
    }

    private void heartbeat() {
        if (closed || sentSinceHeartbeat) {
            sentSinceHeartbeat = false;
            return;
        }
        final byte[] fd = formatDescription.get();
        final boolean crc32 = fd[fd.length - EventHeader.CHECKSUM_SIZE - 1] == 1;
        send(SyntheticEvents.heartbeat(settings.masterServerId(), file, position, crc32), false);
        channel.flush();
    }

    private void send(final byte[] event, final boolean needAck) {
        for (Packet packet : framer.frame(channel.alloc(), event, needAck)) {
            channel.write(packet);
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx) {
        if (channel.isWritable()) {
            drain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        final Packet packet = (Packet) msg;
        try {
            if (packet.length() == 1 && packet.firstByte() == 0x01) {
                LOG.info("replica - {} sent COM_QUIT", settings.replicaId());
                close();
                return;
            }
            final Ack ack = Ack.decode(packet.payload());
            acks.increment(settings.replicaId());
            events.acknowledged(settings.replicaId(), ack.file(), ack.position());
        } catch (MalformedPacketException e) {
            LOG.warn(
                    "replica - {} sent a malformed ACK, closing its connection: {}",
                    settings.replicaId(),
                    e.getMessage());
            close();
        } finally {
            packet.release();
        }
    }

    /** Ends the dump with ER_MASTER_FATAL_ERROR_READING_BINLOG, as a master does. */
    void fail(final String message) {
        LOG.warn("replica - {} dump ended: {}", settings.replicaId(), message);
        final ErrPacket err =
                new ErrPacket(ER_MASTER_FATAL_ERROR_READING_BINLOG, "HY000", "semisync-proxy: " + message);
        channel.writeAndFlush(err.toPacket(channel.alloc(), framer.nextSequenceId()))
                .addListener(ChannelFutureListener.CLOSE);
        stop();
    }

    /** Ends the dump without a word (KILL, COM_QUIT, malformed input). */
    public void close() {
        stop();
        channel.close();
    }

    private void stop() {
        if (closed) {
            return;
        }
        closed = true;
        ring.removeReader(wakeUp);
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        events.replicaDisconnected(settings.replicaId());
        LOG.info("replica - {} dump stopped at {}:{}", settings.replicaId(), file, position);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        LOG.warn("replica - {} connection failed: {}", settings.replicaId(), cause.toString());
        close();
    }

    /** Where the replica stands: file and end position of the last event sent. */
    public String position() {
        return file + ":" + position;
    }
}
