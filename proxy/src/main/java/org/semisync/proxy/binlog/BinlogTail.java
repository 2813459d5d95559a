package org.semisync.proxy.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one upstream binlog dump from the master. Every event is captured byte for byte, placed by
 * {@link BinlogStreamTracker} and handed to the sink (the ring) on the library's reader thread. A deserialization failure
 * stops the tail and is reported through {@link #failure()}; the library's default would skip the event silently. After
 * a lost connection the library reconnects from its last position and the tracker drops what was already relayed.
 */
public final class BinlogTail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BinlogTail.class);

    /**
     * How a tail behaves.
     *
     * @param label names the tail in its log lines and thread
     * @param keepAlive whether a lost connection is reopened from the last position (else the tail stops)
     * @param verbose whether connecting and disconnecting are logged at INFO (else DEBUG)
     * @param onStop called once, on any thread, when the tail stops by itself (a failure, or the connection ended
     *     without keep-alive), not after {@link #close()}
     */
    public record Options(String label, boolean keepAlive, boolean verbose, Consumer<Throwable> onStop) {
        public Options {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(onStop, "onStop");
        }
    }

    /** The shared tail: reconnects by itself, logs its connection. */
    public static final Options SHARED = new Options("tail", true, true, cause -> {});

    private final BinaryLogClient client;
    private final Options options;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final BinlogStreamTracker tracker = new BinlogStreamTracker();
    private final Consumer<RawEvent> sink;
    private volatile Throwable failure;
    private volatile boolean checksumKnown;
    private volatile boolean crc32;

    /**
     * @param serverId server_id the tail registers with; must differ from the master's and every replica's
     * @param sink receives events in binlog order on the reader thread; must not block for long
     */
    public BinlogTail(
            final String host,
            final int port,
            final String user,
            final String password,
            final long serverId,
            final Consumer<RawEvent> sink) {
        this(host, port, user, password, serverId, sink, SHARED);
    }

    /**
     * @param serverId server_id the tail dumps as; the master ends any other dump with the same server_id
     * @param sink receives events in binlog order on the reader thread; may block it (back-pressure on the master)
     */
    public BinlogTail(
            final String host,
            final int port,
            final String user,
            final String password,
            final long serverId,
            final Consumer<RawEvent> sink,
            final Options options) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.options = Objects.requireNonNull(options, "options");
        client = new BinaryLogClient(host, port, user, password);
        client.setServerId(serverId);
        client.setEventDeserializer(RawEventDeserializers.create());
        // Without ANNOTATE_ROWS a MariaDB master leaves holes, and 11.4 gives no end_log_pos to bridge them.
        client.setUseSendAnnotateRowsEvent(true);
        // A restarted master must be tailed again within seconds: until then no commit can be matched to its end
        // position and every held commit times out. The keep-alive thread checks every 3 s; a heartbeat each second
        // keeps an idle but healthy link from looking lost.
        client.setKeepAlive(options.keepAlive());
        client.setHeartbeatInterval(TimeUnit.SECONDS.toMillis(1));
        client.setKeepAliveInterval(TimeUnit.SECONDS.toMillis(3));
        client.setThreadFactory(r -> {
            final Thread t = new Thread(r, "binlog-" + options.label().replace(' ', '-') + "-" + host + ":" + port);
            t.setDaemon(true);
            return t;
        });
        client.registerEventListener(this::onEvent);
        client.registerLifecycleListener(new Lifecycle());
    }

    /** Starts from {@code file:position} (empty file: the first binlog). */
    public void startAt(final String file, final long position, final long timeoutMillis)
            throws IOException, TimeoutException {
        client.setBinlogFilename(file);
        client.setBinlogPosition(position);
        client.connect(timeoutMillis);
        log("{} - connected at {}:{}", options.label(), file, position);
    }

    private void log(final String format, final Object... args) {
        if (options.verbose()) {
            LOG.info(format, args);
        } else {
            LOG.debug(format, args);
        }
    }

    /** Tells {@link Options#onStop} once, unless closed on purpose. */
    private void stopped(final Throwable cause) {
        if (stopped.compareAndSet(false, true)) {
            options.onStop().accept(cause);
        }
    }

    private void onEvent(final Event event) {
        if (failure != null) {
            return;
        }
        try {
            final RawEventHeader header = (RawEventHeader) event.getHeader();
            if (header.typeCode() == EventHeader.FORMAT_DESCRIPTION_EVENT) {
                checksumKnown = true;
            }
            // Before the first Format_description, take the checksum setting from the (self-checking) fake Rotate.
            final byte[] bytes =
                    RawEventDeserializers.rebuild(event, checksumKnown ? tracker.crc32() : guessCrc(event));
            final RawEvent raw = tracker.accept(bytes);
            crc32 = tracker.crc32();
            if (raw != null) {
                sink.accept(raw);
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private static boolean guessCrc(final Event event) {
        final byte[] withCrc = RawEventDeserializers.rebuildUnchecked(event, true);
        return EventHeader.eventSize(withCrc) == withCrc.length;
    }

    private void fail(final Throwable e) {
        failure = e;
        LOG.error("{} - stopped: {}", options.label(), e.toString(), e);
        stopped(e);
        try {
            client.disconnect();
        } catch (IOException io) {
            LOG.error("{} - disconnect after failure failed", options.label(), io);
        }
    }

    /** Why the tail stopped, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    /** Whether the dump connection is up and the tail has not stopped on a failure. */
    public boolean streaming() {
        return failure == null && client.isConnected();
    }

    /** Current master file, as far as relayed. */
    public String file() {
        return tracker.file();
    }

    /** End position of the last relayed event in {@link #file()}. */
    public long position() {
        return tracker.position();
    }

    /** Whether events carry CRC32. */
    public boolean crc32() {
        return crc32;
    }

    @Override
    public void close() throws IOException {
        stopped.set(true);
        client.disconnect();
        log("{} - disconnected at {}:{}", options.label(), tracker.file(), tracker.position());
    }

    private final class Lifecycle implements BinaryLogClient.LifecycleListener {
        @Override
        public void onConnect(final BinaryLogClient c) {
            log("{} - dump connection open ({}:{})", options.label(), c.getBinlogFilename(), c.getBinlogPosition());
        }

        @Override
        public void onCommunicationFailure(final BinaryLogClient c, final Exception ex) {
            if (options.keepAlive()) {
                LOG.warn("{} - communication failure: {}", options.label(), ex.toString());
            } else {
                stopped(ex);
            }
        }

        @Override
        public void onEventDeserializationFailure(final BinaryLogClient c, final Exception ex) {
            // the library would skip the event and go on: a hole for every replica
            fail(new BinlogCaptureException("binlog event could not be read", ex));
        }

        @Override
        public void onDisconnect(final BinaryLogClient c) {
            log("{} - dump connection closed", options.label());
            if (!options.keepAlive()) {
                stopped(new IOException("the master ended the dump"));
            }
        }
    }
}
