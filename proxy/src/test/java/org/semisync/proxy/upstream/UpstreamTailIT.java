package org.semisync.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.semisync.proxy.binlog.EventHeader;
import org.semisync.proxy.binlog.RawEvent;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.net.EventLoops;
import org.semisync.proxy.testing.SharedServers;

/** The tail against real masters: every captured event equals the bytes in the master's own binlog file. */
@ExtendWith(SharedServers.class)
class UpstreamTailIT {
    private static EventLoops loops;

    @BeforeAll
    static void loops() {
        loops = EventLoops.create();
    }

    @AfterAll
    static void closeLoops() {
        loops.close();
    }

    private static UpstreamTail tail(
            final EmbeddedMariaDb master, final String password, final long serverId, final Consumer<RawEvent> sink) {
        return tail(master, password, serverId, sink, loops.group().next());
    }

    private static UpstreamTail tail(
            final EmbeddedMariaDb master,
            final String password,
            final long serverId,
            final Consumer<RawEvent> sink,
            final io.netty.channel.EventLoop loop) {
        return new UpstreamTail(
                new HostPort("127.0.0.1", master.port()),
                EmbeddedMariaDb.REPL_USER,
                password,
                serverId,
                loop,
                loops.transport().socketChannel(),
                sink,
                new TailOptions("test tail", true, true, cause -> {}));
    }

    @ParameterizedTest
    @EnumSource(MariaDbVersion.class)
    void capturesTheBinlogByteForByteWithPositionsAndTransactionEnds(final MariaDbVersion version) throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(version);
        final String db = SharedServers.freshDatabase(master);
        master.execute("FLUSH BINARY LOGS");
        final String[] start = master.masterStatus().split(":");
        final List<RawEvent> events = new CopyOnWriteArrayList<>();
        try (UpstreamTail tail = tail(master, EmbeddedMariaDb.REPL_PASSWORD, 9000 + version.ordinal(), events::add)) {
            tail.startAt(start[0], Long.parseLong(start[1]), 10_000);
            int transactions = 0;
            try (Connection c = master.rootConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(100)) ENGINE=InnoDB");
                transactions++;
                for (int i = 0; i < 20; i++) {
                    s.execute("INSERT INTO " + db + ".t VALUES (" + i + ", 'row " + i + "')");
                    transactions++;
                }
                c.setAutoCommit(false);
                for (int i = 100; i < 103; i++) {
                    s.execute("INSERT INTO " + db + ".t VALUES (" + i + ", 'tx')");
                }
                c.commit();
                transactions++;
                c.setAutoCommit(true);
                s.execute("FLUSH BINARY LOGS");
                s.execute("INSERT INTO " + db + ".t SELECT seq + 100000, REPEAT('x', 90) FROM "
                        + "(SELECT a.id * 1000 + b.id AS seq FROM " + db + ".t a, " + db + ".t b) s");
                transactions++;
                s.execute("ALTER TABLE " + db + ".t ADD COLUMN w INT");
                transactions++;
            }
            awaitCaughtUp(master, tail, events);
            assertThat(tail.failure()).isNull();
            assertThat(events.stream().filter(RawEvent::endsTransaction).count())
                    .isEqualTo(transactions);
            assertThat(assertContiguousAndEqualToTheFiles(
                            events, master.baseDir().resolve("data"), start[0], Long.parseLong(start[1])))
                    .contains(EventHeader.ROTATE_EVENT, EventHeader.FORMAT_DESCRIPTION_EVENT);
        }
    }

    /** The master kills the dump connection: the tail opens it again where it was, without a gap or a repeat. */
    @Test
    void aKilledDumpConnectionIsReopenedWhereItWas() throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(MariaDbVersion.V10_2_11);
        final String db = SharedServers.freshDatabase(master);
        final String[] start = master.masterStatus().split(":");
        final List<RawEvent> events = new CopyOnWriteArrayList<>();
        try (UpstreamTail tail = tail(master, EmbeddedMariaDb.REPL_PASSWORD, 9010, events::add)) {
            tail.startAt(start[0], Long.parseLong(start[1]), 10_000);
            master.execute("CREATE TABLE " + db + ".k (id INT PRIMARY KEY) ENGINE=InnoDB");
            awaitCaughtUp(master, tail, events);
            final long first = tail.masterConnectionId();
            master.execute("KILL " + first);
            for (int i = 0; i < 10; i++) {
                master.execute("INSERT INTO " + db + ".k VALUES (" + i + ")");
            }
            awaitCaughtUp(master, tail, events);
            assertThat(tail.masterConnectionId()).as("a new dump connection").isNotEqualTo(first);
            assertThat(tail.reconnects()).isEqualTo(1);
            assertThat(tail.failure()).isNull();
            assertThat(tail.streaming()).isTrue();
            assertThat(events.stream().filter(RawEvent::endsTransaction).count())
                    .isEqualTo(11);
            assertContiguousAndEqualToTheFiles(
                    events, master.baseDir().resolve("data"), start[0], Long.parseLong(start[1]));
        }
    }

    /**
     * A paused tail (a catch-up dump whose replica is slow) reads nothing, and its silence past the idle limit does
     * not count as a lost connection; resumed, it goes on where it stopped.
     */
    @Test
    void aPausedTailWaitsPastTheIdleLimitAndGoesOnWhenResumed() throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(MariaDbVersion.V10_2_11);
        final String db = SharedServers.freshDatabase(master);
        final String[] start = master.masterStatus().split(":");
        final List<RawEvent> events = new CopyOnWriteArrayList<>();
        final io.netty.channel.EventLoop loop = loops.group().next();
        try (UpstreamTail tail = tail(master, EmbeddedMariaDb.REPL_PASSWORD, 9013, events::add, loop)) {
            tail.startAt(start[0], Long.parseLong(start[1]), 10_000);
            master.execute("CREATE TABLE " + db + ".p (id INT PRIMARY KEY) ENGINE=InnoDB");
            awaitCaughtUp(master, tail, events);
            final long connection = tail.masterConnectionId();
            loop.submit(tail::pause).get();
            final int before = events.size();
            for (int i = 0; i < 5; i++) {
                master.execute("INSERT INTO " + db + ".p VALUES (" + i + ")");
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(UpstreamTail.IDLE_SECONDS + 1));
            assertThat(events).as("nothing read while paused").hasSize(before);
            assertThat(tail.streaming()).isTrue();
            assertThat(tail.reconnects()).isZero();

            loop.submit(tail::resume).get();
            awaitCaughtUp(master, tail, events);
            assertThat(tail.masterConnectionId()).as("the same dump connection").isEqualTo(connection);
            assertThat(events.stream().filter(RawEvent::endsTransaction).count())
                    .isEqualTo(6);
            assertContiguousAndEqualToTheFiles(
                    events, master.baseDir().resolve("data"), start[0], Long.parseLong(start[1]));
        }
    }

    @Test
    void aWrongPasswordFailsTheStartWithTheMastersAnswer() {
        final EmbeddedMariaDb master = SharedServers.master(MariaDbVersion.V11_4_5);
        final UpstreamTail tail = tail(master, "not the password", 9011, e -> {});
        assertThatThrownBy(() -> tail.startAt(null, 4, 10_000))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("the master refused the login of " + EmbeddedMariaDb.REPL_USER)
                .hasMessageContaining("#1045");
        assertThat(tail.failure()).isInstanceOf(MasterRefusedException.class);
        tail.close();
    }

    @Test
    void aPositionTheMasterDoesNotHaveFailsTheStart() {
        final EmbeddedMariaDb master = SharedServers.master(MariaDbVersion.V10_1_23);
        final UpstreamTail tail = tail(master, EmbeddedMariaDb.REPL_PASSWORD, 9012, e -> {});
        assertThatThrownBy(() -> tail.startAt("mysql-bin.999999", 4, 10_000))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("mysql-bin.999999:4")
                .hasMessageContaining("#1236");
        tail.close();
    }

    /**
     * Waits until the tail and its sink both reached the master's position: the tail moves its position before it
     * hands the event to the sink, so its position alone may be ahead of the events seen.
     */
    private static void awaitCaughtUp(
            final EmbeddedMariaDb master, final UpstreamTail tail, final List<RawEvent> events)
            throws InterruptedException {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            final String status = master.masterStatus();
            if (status.equals(tail.file() + ":" + tail.position()) && status.equals(lastEnd(events))) {
                return;
            }
            Thread.sleep(20);
        }
        assertThat(tail.file() + ":" + tail.position()).as("tail caught up").isEqualTo(master.masterStatus());
        assertThat(lastEnd(events)).as("sink caught up").isEqualTo(master.masterStatus());
    }

    private static String lastEnd(final List<RawEvent> events) {
        if (events.isEmpty()) {
            return "";
        }
        final RawEvent last = events.get(events.size() - 1);
        return last.file() + ":" + last.endPosition();
    }

    /** Returns the events' types. */
    private static List<Integer> assertContiguousAndEqualToTheFiles(
            final List<RawEvent> events, final Path dataDir, final String firstFile, final long firstPosition)
            throws IOException {
        String file = firstFile;
        long position = firstPosition;
        final List<Integer> types = new ArrayList<>();
        for (RawEvent event : events) {
            if (!event.file().equals(file)) {
                assertThat(event.startPosition())
                        .as("first event of %s", event.file())
                        .isEqualTo(4);
                file = event.file();
                position = 4;
            }
            assertThat(event.startPosition()).as("start of %s", event).isEqualTo(position);
            types.add(event.type());
            final byte[] onDisk = read(dataDir.resolve(file), event.startPosition(), event.bytes().length);
            if (event.type() == EventHeader.FORMAT_DESCRIPTION_EVENT) {
                // the server clears LOG_EVENT_BINLOG_IN_USE_F on send (and recomputes the CRC)
                assertThat(Arrays.copyOf(onDisk, 17)).isEqualTo(Arrays.copyOf(event.bytes(), 17));
            } else {
                assertThat(event.bytes()).as("bytes of %s", event).isEqualTo(onDisk);
            }
            position = event.type() == EventHeader.ROTATE_EVENT ? -1 : event.endPosition();
        }
        return types;
    }

    private static byte[] read(final Path file, final long offset, final int length) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            final byte[] bytes = new byte[length];
            in.seek(offset);
            in.readFully(bytes);
            return bytes;
        }
    }
}
