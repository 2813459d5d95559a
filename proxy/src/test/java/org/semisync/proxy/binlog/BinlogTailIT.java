package org.semisync.proxy.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.testing.SharedServers;

/** The tail against real masters: every captured event equals the bytes in the master's own binlog file. */
@ExtendWith(SharedServers.class)
class BinlogTailIT {
    @ParameterizedTest
    @EnumSource(MariaDbVersion.class)
    void capturesTheBinlogByteForByteWithPositionsAndTransactionEnds(final MariaDbVersion version) throws Exception {
        final EmbeddedMariaDb master = SharedServers.master(version);
        final String db = SharedServers.freshDatabase(master);
        master.execute("FLUSH BINARY LOGS");
        final String[] start = master.masterStatus().split(":");
        final List<RawEvent> events = new CopyOnWriteArrayList<>();
        try (BinlogTail tail = new BinlogTail(
                "127.0.0.1",
                master.port(),
                EmbeddedMariaDb.REPL_USER,
                EmbeddedMariaDb.REPL_PASSWORD,
                9000 + version.ordinal(),
                events::add)) {
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
            awaitCaughtUp(master, tail);
            assertThat(tail.failure()).isNull();
            assertThat(events.stream().filter(RawEvent::endsTransaction).count())
                    .isEqualTo(transactions);
            assertContiguousAndEqualToTheFiles(
                    events, master.baseDir().resolve("data"), start[0], Long.parseLong(start[1]));
        }
    }

    private static void awaitCaughtUp(final EmbeddedMariaDb master, final BinlogTail tail) throws InterruptedException {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (master.masterStatus().equals(tail.file() + ":" + tail.position())) {
                return;
            }
            Thread.sleep(20);
        }
        assertThat(tail.file() + ":" + tail.position()).as("tail caught up").isEqualTo(master.masterStatus());
    }

    private static void assertContiguousAndEqualToTheFiles(
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
        assertThat(types).contains(EventHeader.ROTATE_EVENT, EventHeader.FORMAT_DESCRIPTION_EVENT);
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
