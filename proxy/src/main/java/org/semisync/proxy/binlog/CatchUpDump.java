package org.semisync.proxy.binlog;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.upstream.TailOptions;
import org.semisync.proxy.upstream.UpstreamTail;

/**
 * A master dump for one replica that fell behind the ring, in file/position mode from exactly where the replica's
 * stream is. Its {@link UpstreamTail} drops the dump's preamble (the fake Rotate and the Format_description re-sent
 * with log_pos 0) and checks that the events follow on without a hole, so what {@link #poll()} hands out is the
 * continuation of the replica's stream, event for event, as the ring would have had it.
 *
 * <p>Everything runs on the replica's event loop: the dump connection lives there too. While {@value #QUEUE_BYTES}
 * bytes of events wait for the replica, the dump is not read (back-pressure on the master through TCP).
 */
public final class CatchUpDump implements AutoCloseable {
    /** Bytes of events queued for the replica before the master's dump is no longer read. */
    static final int QUEUE_BYTES = 1 << 20;

    private final String file;
    private final long position;
    private final Runnable wakeUp;
    private final UpstreamTail tail;
    private final ArrayDeque<RawEvent> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean paused;
    private boolean closed;
    /** Whether the first event was checked against the requested start. */
    private boolean startChecked;

    /**
     * @param serverId the server_id the dump runs as (the replica's: the master sees the replica's own dump)
     * @param wakeUp run after an event was queued
     * @param onStop run once when the dump cannot go on (not after {@link #close()})
     * @param loop the replica's event loop
     */
    CatchUpDump(
            final HostPort master,
            final String user,
            final String password,
            final long serverId,
            final String file,
            final long position,
            final Runnable wakeUp,
            final Consumer<Throwable> onStop,
            final EventLoop loop,
            final Class<? extends SocketChannel> channelType) {
        this.file = Objects.requireNonNull(file, "file");
        this.position = position;
        this.wakeUp = Objects.requireNonNull(wakeUp, "wakeUp");
        Objects.requireNonNull(onStop, "onStop");
        this.tail = new UpstreamTail(
                master,
                user,
                password,
                serverId,
                loop,
                channelType,
                this::accept,
                new TailOptions("catch-up " + serverId, false, false, onStop));
    }

    /** Opens the master's dump; does not wait. */
    void start() {
        tail.open(file, position);
    }

    /** The next event for the replica, or null while none is queued. On the replica's event loop. */
    public RawEvent poll() {
        final RawEvent event = queue.poll();
        if (event != null) {
            queuedBytes -= event.bytes().length;
            if (paused && queuedBytes <= QUEUE_BYTES / 2) {
                paused = false;
                tail.resume();
            }
        }
        return event;
    }

    private void accept(final RawEvent event) {
        if (closed) {
            return;
        }
        if (!startChecked) {
            startChecked = true;
            if (!event.file().equals(file) || event.startPosition() != position) {
                throw new BinlogCaptureException("the master's dump from " + file + ":" + position + " began with "
                        + event + ", not at the requested position");
            }
        }
        queue.add(event);
        queuedBytes += event.bytes().length;
        if (!paused && queuedBytes >= QUEUE_BYTES) {
            paused = true;
            tail.pause();
        }
        wakeUp.run();
    }

    /** Ends the dump; events still queued are dropped. On the replica's event loop; does not block. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        queuedBytes = 0;
        tail.close();
    }
}
