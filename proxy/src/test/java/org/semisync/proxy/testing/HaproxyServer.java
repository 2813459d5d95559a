package org.semisync.proxy.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code /usr/sbin/haproxy} in the foreground, running the shipped example configuration
 * ({@code docker/haproxy/semisync-proxy.cfg}) as it is: its addresses come from the environment. A second, test-only
 * file adds a stats socket in {@code dir}, through which the test reads each server's state and sessions. Killed on
 * close.
 */
public final class HaproxyServer implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/haproxy");
    public static final Path EXAMPLE = Path.of("..", "docker", "haproxy", "semisync-proxy.cfg");

    private final Process process;
    private final Path log;
    private final Path socket;

    private HaproxyServer(final Process process, final Path log, final Path socket) {
        this.process = process;
        this.log = log;
        this.socket = socket;
    }

    /** One backend server as {@code show stat} reports it: UP / DOWN / …, and its current sessions. */
    public record ServerState(String status, int sessions) {}

    /**
     * Checks and starts haproxy with {@code environment} (the example's {@code SEMISYNC_*} variables); returns once
     * it listens.
     */
    public static HaproxyServer start(final Path dir, final Map<String, String> environment)
            throws IOException, InterruptedException {
        final Path socket = dir.resolve("haproxy.sock");
        final Path stats = Files.writeString(
                dir.resolve("stats.cfg"), "global\n    stats socket " + socket + " mode 600 level operator\n");
        final List<String> command =
                List.of(BINARY.toString(), "-db", "-f", EXAMPLE.toAbsolutePath().toString(), "-f", stats.toString());
        final Path log = dir.resolve("haproxy.log");
        check(command, environment, log);
        final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        final HaproxyServer server = new HaproxyServer(builder.start(), log, socket);
        try {
            server.awaitListening();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** {@code haproxy -c}: a broken configuration fails here with haproxy's own message. */
    private static void check(final List<String> command, final Map<String, String> environment, final Path log)
            throws IOException, InterruptedException {
        final List<String> checkOnly = new ArrayList<>(command);
        checkOnly.add("-c");
        final ProcessBuilder builder = new ProcessBuilder(checkOnly)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        final Process p = builder.start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("haproxy -c failed:\n" + Files.readString(log));
        }
    }

    /** Its listeners are bound before the stats socket answers, so an answer means the frontend accepts too. */
    private void awaitListening() throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("haproxy exited with " + process.exitValue() + ":\n" + log());
            }
            if (Files.exists(socket)) {
                try {
                    command("show info");
                    return;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("haproxy's stats socket does not answer:\n" + log(), e);
                    }
                }
            } else if (System.nanoTime() > deadline) {
                throw new IllegalStateException("haproxy created no stats socket in 30 s:\n" + log());
            }
            Thread.sleep(50);
        }
    }

    /** Every server of {@code backend} by name, from {@code show stat}. */
    public Map<String, ServerState> servers(final String backend) throws IOException {
        final String[] lines = command("show stat").split("\n");
        final List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(",", -1));
        final int pxname = header.indexOf("pxname");
        final int svname = header.indexOf("svname");
        final int scur = header.indexOf("scur");
        final int status = header.indexOf("status");
        final Map<String, ServerState> servers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            final String[] f = lines[i].split(",", -1);
            if (f.length > status && f[pxname].equals(backend) && !f[svname].equals("BACKEND")) {
                servers.put(f[svname], new ServerState(f[status], Integer.parseInt(f[scur])));
            }
        }
        return servers;
    }

    private String command(final String line) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII)));
            final StringBuilder answer = new StringBuilder();
            final ByteBuffer buffer = ByteBuffer.allocate(16384);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                answer.append(StandardCharsets.US_ASCII.decode(buffer));
                buffer.clear();
            }
            return answer.toString();
        }
    }

    /** Waits up to {@code seconds} until {@code server} of {@code backend} has {@code status} (e.g. UP). */
    public void awaitStatus(final String backend, final String server, final String status, final int seconds)
            throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Map<String, ServerState> seen = servers(backend);
        while (!seen.containsKey(server) || !seen.get(server).status().equals(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(server + " is not " + status + " after " + seconds + " s: " + seen);
            }
            Thread.sleep(50);
            seen = servers(backend);
        }
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    @Override
    public void close() throws InterruptedException {
        Signals.terminate(process);
    }

    /** The environment the example configuration reads, for a frontend and two proxies on loopback. */
    public static Map<String, String> environment(final int frontend, final ProxyProcess a, final ProxyProcess b) {
        return Map.of(
                "SEMISYNC_FRONTEND", "127.0.0.1:" + frontend,
                "SEMISYNC_PROXY_A", "127.0.0.1:" + a.port(),
                "SEMISYNC_PROXY_A_METRICS", Integer.toString(a.metricsPort()),
                "SEMISYNC_PROXY_B", "127.0.0.1:" + b.port(),
                "SEMISYNC_PROXY_B_METRICS", Integer.toString(b.metricsPort()));
    }
}
