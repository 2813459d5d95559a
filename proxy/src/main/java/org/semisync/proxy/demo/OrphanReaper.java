package org.semisync.proxy.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills embedded servers left behind by a JVM that died without running its shutdown hooks (SIGKILL, crash). Every
 * started server is registered as a file {@code <server pid>} holding the owner JVM's pid and the data directory; a
 * later start reaps entries whose owner is gone, after checking that the pid still belongs to a server with that
 * data directory (pids are reused).
 */
final class OrphanReaper {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);

    private OrphanReaper() {}

    static Path registryDir() {
        return MariaDbDistribution.cacheDir().resolveSibling("run");
    }

    static void register(final long serverPid, final Path dataDir) throws IOException {
        Files.createDirectories(registryDir());
        Files.writeString(
                registryDir().resolve(Long.toString(serverPid)),
                ProcessHandle.current().pid() + "\n" + dataDir);
    }

    static void unregister(final long serverPid) {
        try {
            Files.deleteIfExists(registryDir().resolve(Long.toString(serverPid)));
        } catch (IOException e) {
            LOG.warn("orphan-reaper - cannot unregister pid {}: {}", serverPid, e.toString());
        }
    }

    /** Kills registered servers whose owning JVM no longer runs. Returns how many were killed. */
    static int reapOrphans() throws IOException {
        if (!Files.isDirectory(registryDir())) {
            return 0;
        }
        int killed = 0;
        final List<Path> entries;
        try (Stream<Path> s = Files.list(registryDir())) {
            entries = s.toList();
        }
        for (Path entry : entries) {
            final List<String> lines;
            try {
                lines = Files.readAllLines(entry);
            } catch (IOException vanished) {
                continue;
            }
            if (lines.size() < 2 || !entry.getFileName().toString().matches("\\d+")) {
                Files.deleteIfExists(entry);
                continue;
            }
            final long serverPid = Long.parseLong(entry.getFileName().toString());
            final long ownerPid = Long.parseLong(lines.get(0).trim());
            if (ProcessHandle.of(ownerPid).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            final Optional<ProcessHandle> server = ProcessHandle.of(serverPid);
            if (server.isPresent() && commandLineMentions(serverPid, lines.get(1))) {
                LOG.warn(
                        "orphan-reaper - killing server pid {} (data {}) left by dead JVM {}",
                        serverPid,
                        lines.get(1),
                        ownerPid);
                server.get().destroyForcibly();
                killed++;
            }
            Files.deleteIfExists(entry);
        }
        return killed;
    }

    private static boolean commandLineMentions(final long pid, final String text) {
        try {
            final byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(cmdline).replace('\0', ' ').contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
