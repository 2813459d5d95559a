package org.semisync.proxy.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    private final BinaryLogClient client;
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
        this.sink = Objects.requireNonNull(sink, "sink");
        client = new BinaryLogClient(host, port, user, password);
        client.setServerId(serverId);
        client.setEventDeserializer(RawEventDeserializers.create());
        // Without ANNOTATE_ROWS a MariaDB master leaves holes, and 11.4 gives no end_log_pos to bridge them.
        client.setUseSendAnnotateRowsEvent(true);
        // A restarted master must be tailed again within seconds: until then no commit can be matched to its end
        // position and every held commit times out. The keep-alive thread checks every 3 s; a heartbeat each second
        // keeps an idle but healthy link from looking lost.
        client.setKeepAlive(true);
        client.setHeartbeatInterval(TimeUnit.SECONDS.toMillis(1));
        client.setKeepAliveInterval(TimeUnit.SECONDS.toMillis(3));
        client.setThreadFactory(r -> {
            final Thread t = new Thread(r, "binlog-tail-" + host + ":" + port);
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
        LOG.info("tail - connected at {}:{}", file, position);
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
        LOG.error("tail - stopped: {}", e.toString(), e);
        try {
            client.disconnect();
        } catch (IOException io) {
            LOG.error("tail - disconnect after failure failed", io);
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
        client.disconnect();
        LOG.info("tail - disconnected at {}:{}", tracker.file(), tracker.position());
    }

    private final class Lifecycle implements BinaryLogClient.LifecycleListener {
        @Override
        public void onConnect(final BinaryLogClient c) {
            LOG.info("tail - dump connection open ({}:{})", c.getBinlogFilename(), c.getBinlogPosition());
        }

        @Override
        public void onCommunicationFailure(final BinaryLogClient c, final Exception ex) {
            LOG.warn("tail - communication failure: {}", ex.toString());
        }

        @Override
        public void onEventDeserializationFailure(final BinaryLogClient c, final Exception ex) {
            // the library would skip the event and go on: a hole for every replica
            fail(new BinlogCaptureException("binlog event could not be read", ex));
        }

        @Override
        public void onDisconnect(final BinaryLogClient c) {
            LOG.info("tail - dump connection closed");
        }
    }
}
