package org.semisync.proxy.binlog;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.semisync.proxy.config.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master dump for one replica that fell behind the ring, in file/position mode from exactly where the replica's
 * stream is. Its {@link BinlogTail} drops the dump's preamble (the fake Rotate and the Format_description re-sent with
 * log_pos 0) and checks that the events follow on without a hole, so what {@link #poll()} hands out is the continuation
 * of the replica's stream, event for event, as the ring would have had it.
 *
 * <p>Threads: the tail's reader thread queues events and blocks while {@value #QUEUE_BYTES} bytes wait (back-pressure
 * on the master's dump, never on the event loop); the replica's event loop polls. Connecting and disconnecting block,
 * so they run on {@code blocking}.
 */
public final class CatchUpDump implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpDump.class);
    /** Bytes of events queued for the replica before the reader thread waits. */
    static final int QUEUE_BYTES = 1 << 20;

    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;

    private final String file;
    private final long position;
    private final Runnable wakeUp;
    private final Consumer<Throwable> onStop;
    private final Executor blocking;
    private final BinlogTail tail;
    private final ConcurrentLinkedQueue<RawEvent> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore room = new Semaphore(QUEUE_BYTES);
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile boolean closed;
    /** Whether the first event was checked against the requested start; reader thread only. */
    private boolean startChecked;

    /**
     * @param serverId the server_id the dump runs as (the replica's: the master sees the replica's own dump)
     * @param wakeUp run on the reader thread after an event was queued; must only hand off (to the event loop)
     * @param onStop run once, on any thread, when the dump cannot go on (not after {@link #close()})
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
            final Executor blocking) {
        this.file = Objects.requireNonNull(file, "file");
        this.position = position;
        this.wakeUp = Objects.requireNonNull(wakeUp, "wakeUp");
        this.onStop = Objects.requireNonNull(onStop, "onStop");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.tail = new BinlogTail(
                master.host(),
                master.port(),
                user,
                password,
                serverId,
                this::accept,
                new BinlogTail.Options("catch-up " + serverId, false, false, this::stop));
    }

    /** Opens the master's dump (on {@code blocking}). */
    void start() {
        blocking.execute(() -> {
            synchronized (tail) {
                if (closed) {
                    return;
                }
                try {
                    tail.startAt(file, position, CONNECT_TIMEOUT_MILLIS);
                } catch (IOException | TimeoutException | RuntimeException e) {
                    stop(e);
                    disconnect();
                }
            }
        });
    }

    /** The next event for the replica, or null while none is queued. On the replica's event loop. */
    public RawEvent poll() {
        final RawEvent event = queue.poll();
        if (event != null) {
            room.release(weight(event));
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
        try {
            room.acquire(weight(event));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BinlogCaptureException("interrupted while the replica's queue was full", e);
        }
        if (closed) {
            return;
        }
        queue.add(event);
        wakeUp.run();
    }

    private static int weight(final RawEvent event) {
        return Math.min(event.bytes().length, QUEUE_BYTES);
    }

    private void stop(final Throwable cause) {
        if (!closed && stopped.compareAndSet(false, true)) {
            onStop.accept(cause);
        }
    }

    /** Ends the dump; events still queued are dropped. Does not block. */
    @Override
    public void close() {
        closed = true;
        // a reader thread waiting for room must return before the library lets the connection go
        room.release(QUEUE_BYTES);
        queue.clear();
        blocking.execute(this::disconnect);
    }

    private void disconnect() {
        synchronized (tail) {
            try {
                tail.close();
            } catch (IOException e) {
                LOG.warn("catch-up - closing the master's dump from {}:{} failed: {}", file, position, e.toString());
            }
        }
    }
}
