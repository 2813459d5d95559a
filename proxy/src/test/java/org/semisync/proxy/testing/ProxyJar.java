package org.semisync.proxy.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.semisync.proxy.demo.EmbeddedMariaDb;

/** The fat jar as a user runs it ({@code java -jar target/semisync-proxy.jar run …}), for the CLI tests. */
public final class ProxyJar {
    private ProxyJar() {}

    /**
     * {@code run} in front of {@code master} on a free port (unless {@code extra} names a {@code --listen}), with the
     * replication account (binlog tail, position probes), and {@code extra} options.
     */
    /**
     * {@code java} of this JVM, with its Netty leak detection level (the suite's paranoid one: the jar's main turns the
     * detector off unless the level is given).
     */
    public static List<String> java() {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final String level = System.getProperty(LEAK_DETECTION_LEVEL);
        if (level != null) {
            command.add("-D" + LEAK_DETECTION_LEVEL + "=" + level);
        }
        return command;
    }

    private static final String LEAK_DETECTION_LEVEL = "io.netty.leakDetection.level";

    public static ProcessBuilder run(final EmbeddedMariaDb master, final String... extra) {
        final List<String> command = java();
        command.addAll(List.of(
                "-jar",
                Path.of("target", "semisync-proxy.jar").toString(),
                "run",
                "--master",
                "127.0.0.1:" + master.port(),
                "--replication-user",
                EmbeddedMariaDb.REPL_USER,
                "--replication-password",
                EmbeddedMariaDb.REPL_PASSWORD));
        if (!List.of(extra).contains("--listen")) {
            command.addAll(List.of("--listen", "127.0.0.1:0"));
        }
        command.addAll(List.of(extra));
        return new ProcessBuilder(command);
    }
}
