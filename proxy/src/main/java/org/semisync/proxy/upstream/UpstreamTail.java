package org.semisync.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.semisync.proxy.binlog.BinlogCaptureException;
import org.semisync.proxy.binlog.BinlogStreamTracker;
import org.semisync.proxy.binlog.RawEvent;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.protocol.Handshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binlog tail as a Netty client on one of the proxy's event loops: one dump connection to the master at a time
 * ({@link DumpConnection}), every event placed by a {@link BinlogStreamTracker} and handed to the sink on that loop.
 * The replicas served from the ring usually share the loop, so an event read from the master reaches their sockets
 * without a thread hand-off. With keep-alive a lost connection is opened again from the last relayed position, once a
 * second, until the master answers; a master that refuses the dump position, or a stream with a hole, stops the tail
 * ({@link #failure()}).
 */
public final class UpstreamTail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamTail.class);
    /** The master sends a heartbeat after this long without events. */
    static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** No packet for this long, heartbeats included, and the connection counts as lost. */
    static final int IDLE_SECONDS = 3;

    static final long RECONNECT_MILLIS = 1_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final HostPort master;
    private final String user;
    private final String password;
    private final long serverId;
    private final EventLoop loop;
    private final Class<? extends SocketChannel> channelType;
    private final Consumer<RawEvent> sink;
    private final TailOptions options;
    private final BinlogStreamTracker tracker = new BinlogStreamTracker();
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    // on the loop
    private Channel channel;
    private ScheduledFuture<?> reconnect;
    private int attempts;
    private long lostAt;

    private volatile boolean streaming;
    private volatile boolean closed;
    private volatile Throwable failure;
    private volatile boolean crc32;
    private volatile long masterConnectionId;
    private volatile long reconnects;

    /**
     * @param serverId server_id the dump runs as; the master ends any other dump with the same server_id
     * @param sink receives events in binlog order on {@code loop}; must not block
     */
    public UpstreamTail(
            final HostPort master,
            final String user,
            final String password,
            final long serverId,
            final EventLoop loop,
            final Class<? extends SocketChannel> channelType,
            final Consumer<RawEvent> sink,
            final TailOptions options) {
        this.master = Objects.requireNonNull(master, "master");
        this.user = Objects.requireNonNull(user, "user");
        this.password = password;
        this.serverId = serverId;
        this.loop = Objects.requireNonNull(loop, "loop");
        this.channelType = Objects.requireNonNull(channelType, "channelType");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Opens the dump from {@code file:position} (null file: the master's current end) and waits for its first event.
     * Not on the tail's event loop.
     *
     * @throws IOException when the master cannot be reached or refuses the login or the position (the message says
     *     which)
     */
    public void startAt(final String file, final long position, final long timeoutMillis)
            throws IOException, TimeoutException {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("startAt blocks: not on the tail's event loop");
        }
        open(file, position);
        try {
            started.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new TimeoutException("no binlog event from master " + master + " within " + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            close();
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while the tail connected", e);
        }
        log("{} - connected at {}:{}", options.label(), tracker.file(), tracker.position());
    }

    /** Opens the dump from {@code file:position} without waiting; a failure goes to {@link TailOptions#onStop}. */
    public void open(final String file, final long position) {
        loop.execute(() -> connect(file, position));
    }

    /** Stops reading from the master (its dump waits in TCP); on the tail's loop. */
    public void pause() {
        if (channel != null) {
            channel.config().setAutoRead(false);
        }
    }

    /** Reads from the master again after {@link #pause()}; on the tail's loop. */
    public void resume() {
        if (channel != null) {
            channel.config().setAutoRead(true);
        }
    }

    private void connect(final String file, final long position) {
        if (closed) {
            return;
        }
        final DumpConnection connection = new DumpConnection(
                new MasterLogin(user, password),
                new DumpSetup(file, position, serverId, HEARTBEAT_NANOS),
                new Listener(),
                IDLE_SECONDS);
        final ChannelFuture connecting = connection.connect(loop, channelType, master, CONNECT_TIMEOUT_MILLIS);
        channel = connecting.channel();
        channel.closeFuture().addListener(f -> ended(connection, connecting));
    }

    /** On the loop, when a connection ended (or never opened). */
    private void ended(final DumpConnection connection, final ChannelFuture connecting) {
        streaming = false;
        channel = null;
        if (closed) {
            log("{} - dump connection closed", options.label());
            return;
        }
        Throwable cause = connecting.cause() != null ? connecting.cause() : connection.failure();
        if (cause == null) {
            cause = new IOException("the dump connection closed");
        }
        final boolean fatal = !started.isDone()
                || !options.keepAlive()
                || failure != null
                || (cause instanceof MasterRefusedException && connection.streamed())
                || cause instanceof BinlogCaptureException;
        if (fatal) {
            stop(cause);
            return;
        }
        if (attempts++ == 0) {
            lostAt = System.nanoTime();
            LOG.warn(
                    "{} - dump connection to {} lost ({}); reopening it from {}:{} every {} ms",
                    options.label(),
                    master,
                    cause.getMessage(),
                    tracker.file(),
                    tracker.position(),
                    RECONNECT_MILLIS);
        } else {
            LOG.debug("{} - attempt {} to reopen the dump failed: {}", options.label(), attempts, cause.toString());
        }
        reconnect = loop.schedule(
                () -> connect(tracker.file(), tracker.position()), RECONNECT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void stop(final Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        if (started.completeExceptionally(cause)) {
            log("{} - could not open the dump: {}", options.label(), cause.toString());
        } else if (options.keepAlive()) {
            LOG.error("{} - stopped: {}", options.label(), cause.toString(), cause);
        } else {
            log("{} - stopped: {}", options.label(), cause.toString());
        }
        options.onStop().accept(cause);
    }

    private void log(final String format, final Object... args) {
        if (options.verbose()) {
            LOG.info(format, args);
        } else {
            LOG.debug(format, args);
        }
    }

    /** Why the tail stopped, or null while it runs (or reconnects). */
    public Throwable failure() {
        return failure;
    }

    /** Whether the dump is under way and the tail has not stopped. */
    public boolean streaming() {
        return streaming && failure == null;
    }

    /** Current master file, as far as relayed. */
    public String file() {
        return tracker.file();
    }

    /** End position of the last relayed event in {@link #file()}. */
    public long position() {
        return tracker.position();
    }

    /** The master's id of the current (or last) dump connection, as SHOW PROCESSLIST shows it. */
    public long masterConnectionId() {
        return masterConnectionId;
    }

    /** Times the dump connection was lost and opened again (not counting attempts that failed). */
    public long reconnects() {
        return reconnects;
    }

    /** Whether events carry CRC32. */
    public boolean crc32() {
        return crc32;
    }

    /** Ends the dump and any reconnecting; waits for the connection to close unless called on the tail's loop. */
    @Override
    public void close() {
        closed = true;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                if (reconnect != null) {
                    reconnect.cancel(false);
                }
                if (channel == null) {
                    done.complete(null);
                } else {
                    channel.close().addListener(f -> done.complete(null));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return; // the loop is gone, and its channels with it
        }
        if (!loop.inEventLoop()) {
            done.orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        log("{} - disconnected at {}:{}", options.label(), tracker.file(), tracker.position());
    }

    private final class Listener implements DumpConnection.Listener {
        @Override
        public void dumping(final Handshake greeting, final String file, final long position) {
            masterConnectionId = greeting.connectionId();
            log(
                    "{} - dump connection open ({}:{}, master {} connection {})",
                    options.label(),
                    file,
                    position,
                    greeting.displayVersion(),
                    greeting.connectionId());
        }

        @Override
        public void event(final byte[] event) {
            if (failure != null) {
                return;
            }
            try {
                accept(event);
            } catch (RuntimeException e) {
                failure = e; // a hole in the stream, or a sink that failed: reconnecting would not mend it
                throw e;
            }
        }

        private void accept(final byte[] event) {
            final RawEvent raw = tracker.accept(event);
            crc32 = tracker.crc32();
            if (!streaming) {
                streaming = true;
                if (attempts > 0) {
                    reconnects++; // one writer: the tail's loop
                    LOG.info(
                            "{} - dump connection back after {} attempt(s) in {} ms, at {}:{}",
                            options.label(),
                            attempts,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostAt),
                            tracker.file(),
                            tracker.position());
                    attempts = 0;
                }
                started.complete(null);
            }
            if (raw != null) {
                sink.accept(raw);
            }
        }
    }
}
