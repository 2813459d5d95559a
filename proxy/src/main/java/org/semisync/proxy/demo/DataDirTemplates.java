package org.semisync.proxy.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One installed, initialised data directory per server version and process, copied for every new server: the install
 * script and the first start (system tables, the 256 MiB redo log, the users) take most of a fresh server's start-up,
 * several seconds each time, and a test suite starts dozens. The template is a server's data directory after a first
 * start and a clean shutdown, without its binary logs (each copy begins its own history at mysql-bin.000001). The copy
 * keeps the redo log's unwritten blocks as holes ({@code cp --sparse=always}), so it costs little disk I/O.
 */
final class DataDirTemplates {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirTemplates.class);
    private static final Map<MariaDbVersion, EmbeddedMariaDb> TEMPLATES = new EnumMap<>(MariaDbVersion.class);

    private DataDirTemplates() {}

    /** Fills the empty directory {@code dataDir} with a copy of the template of {@code version}. */
    static void copyInto(final MariaDbVersion version, final Path dataDir) throws IOException {
        final Path template = template(version);
        Files.createDirectories(dataDir);
        final Process cp = new ProcessBuilder("cp", "-a", "--sparse=always", template + "/.", dataDir.toString())
                .redirectErrorStream(true)
                .start();
        try {
            final boolean done = cp.waitFor(2, TimeUnit.MINUTES);
            final String output = new String(cp.getInputStream().readAllBytes()).strip();
            if (!done || cp.exitValue() != 0) {
                cp.destroyForcibly();
                throw new IOException("copying the " + version + " data directory template failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cp.destroyForcibly();
            throw new IOException("interrupted while copying the data directory template", e);
        }
    }

    private static synchronized Path template(final MariaDbVersion version) throws IOException {
        final EmbeddedMariaDb existing = TEMPLATES.get(version);
        if (existing != null) {
            return existing.baseDir().resolve("data");
        }
        final long started = System.nanoTime();
        final EmbeddedMariaDb server = EmbeddedMariaDb.builder(version)
                .name("template-" + version.version())
                .fromScratch()
                .build();
        try {
            server.start().stop();
        } catch (UncheckedIOException | IllegalStateException e) {
            server.close();
            throw new IOException("cannot prepare the " + version + " data directory template: " + e.getMessage(), e);
        }
        final Path data = server.baseDir().resolve("data");
        try (DirectoryStream<Path> binlogs = Files.newDirectoryStream(data, "mysql-bin.*")) {
            for (Path binlog : binlogs) {
                Files.delete(binlog);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "semisync-template-cleanup"));
        TEMPLATES.put(version, server);
        LOG.info(
                "{} - data directory template ready in {} ms",
                server.name(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return data;
    }
}
