package org.semisync.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semisync.proxy.config.ProxyConfig;
import picocli.CommandLine;

class MainTest {
    /** Runs the command line and returns exit code and stderr. */
    private static Map.Entry<Integer, String> run(final String... args) {
        final PrintStream original = System.err;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            final int code = Main.execute(args);
            return Map.entry(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    private static void assertOneLine(final Map.Entry<Integer, String> result, final int code, final String text) {
        assertThat(result.getKey()).isEqualTo(code);
        assertThat(result.getValue()).contains(text).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(result.getValue().strip().lines()).hasSize(1);
    }

    @Test
    void nettyPoolsLargeBuffersWhateverTheHeapUnlessTheUserSaidOtherwise() {
        final String before = System.getProperty(Main.LOW_MEMORY_PROPERTY);
        try {
            System.clearProperty(Main.LOW_MEMORY_PROPERTY);
            Main.poolLargeBuffers();
            assertThat(System.getProperty(Main.LOW_MEMORY_PROPERTY)).isEqualTo("false");
            System.setProperty(Main.LOW_MEMORY_PROPERTY, "true");
            Main.poolLargeBuffers();
            assertThat(System.getProperty(Main.LOW_MEMORY_PROPERTY))
                    .as("the user's choice")
                    .isEqualTo("true");
        } finally {
            if (before == null) {
                System.clearProperty(Main.LOW_MEMORY_PROPERTY);
            } else {
                System.setProperty(Main.LOW_MEMORY_PROPERTY, before);
            }
        }
    }

    @Test
    void badInputGivesOneClearLineAndANonZeroExit() {
        assertOneLine(run("--bogus"), Main.EXIT_USAGE, "Unknown option: '--bogus'");
        assertOneLine(run("run"), Main.EXIT_USAGE, "--master HOST:PORT is required");
        assertOneLine(run("--master", "127.0.0.1:1", "--timeout", "soon"), Main.EXIT_USAGE, "'soon' is not a long");
        assertOneLine(run("--master", "db:notaport"), Main.EXIT_USAGE, "'notaport'");
        assertOneLine(run("--master", "127.0.0.1:1", "--wait-no-slave", "maybe"), Main.EXIT_USAGE, "not on/off");
        assertOneLine(run("--master", "127.0.0.1:1", "--wait-for-slave-count", "0"), Main.EXIT_USAGE, "1..65535");
    }

    @Test
    void unreachableMasterAtStart() throws Exception {
        final int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        assertOneLine(run("--master", "127.0.0.1:" + dead), Main.EXIT_FAILURE, "cannot reach master 127.0.0.1:" + dead);
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket fakeMaster = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertOneLine(
                    run(
                            "--master",
                            "127.0.0.1:" + fakeMaster.getLocalPort(),
                            "--listen",
                            "127.0.0.1:" + taken.getLocalPort()),
                    Main.EXIT_FAILURE,
                    "cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void malformedOrUnknownYaml(@TempDir final Path dir) throws Exception {
        final Path bad = Files.writeString(dir.resolve("bad.yaml"), "timeout: [\n");
        assertOneLine(run("--master", "127.0.0.1:1", "--config", bad.toString()), Main.EXIT_USAGE, "malformed YAML");
        final Path unknown = Files.writeString(dir.resolve("unknown.yaml"), "timout: 5\n");
        assertOneLine(run("--config", unknown.toString()), Main.EXIT_USAGE, "unknown option 'timout'");
        assertOneLine(run("--config", dir.resolve("missing.yaml").toString()), Main.EXIT_USAGE, "cannot read");
    }

    @Test
    void commandLineBeatsEnvironmentBeatsYaml(@TempDir final Path dir) throws Exception {
        final Path yaml = Files.writeString(
                dir.resolve("proxy.yaml"), "master: db1:3306\ntimeout: 2000\nwait-no-slave: off\nenforced: true\n");
        final RunCommand command = new RunCommand();
        final CommandLine cli = new CommandLine(command);
        final Set<String> keys = new java.util.TreeSet<>();
        cli.getCommandSpec().options().forEach(o -> keys.add(o.longestName().substring(2)));
        cli.setDefaultValueProvider(OptionDefaults.load(Map.of("SEMISYNC_PROXY_TIMEOUT", "3000"), yaml, keys));
        cli.parseArgs("--wait-for-slave-count", "2");
        final ProxyConfig config = command.toConfig();
        assertThat(config.master().toString()).isEqualTo("db1:3306");
        assertThat(config.timeoutMillis()).isEqualTo(3000);
        assertThat(config.waitNoSlave()).isFalse();
        assertThat(config.enforced()).isTrue();
        assertThat(config.waitForSlaveCount()).isEqualTo(2);
        assertThat(config.listen()).isEqualTo(ProxyConfig.DEFAULT_LISTEN);
        assertThat(OptionDefaults.environmentName("--wait-no-slave")).isEqualTo("SEMISYNC_PROXY_WAIT_NO_SLAVE");
        assertThat(config.ringBytes()).isEqualTo(ProxyConfig.DEFAULT_RING_BYTES).isEqualTo(64L << 20);
    }

    @Test
    void ringBytesFromTheCommandLineTheEnvironmentOrYaml(@TempDir final Path dir) throws Exception {
        final Path yaml = Files.writeString(dir.resolve("proxy.yaml"), "master: db1\nring-bytes: 512K\n");
        assertThat(ringBytes(Map.of(), yaml)).isEqualTo(512L << 10);
        assertThat(ringBytes(Map.of("SEMISYNC_PROXY_RING_BYTES", "8M"), yaml)).isEqualTo(8L << 20);
        assertThat(ringBytes(Map.of("SEMISYNC_PROXY_RING_BYTES", "8M"), yaml, "--ring-bytes", "1048576"))
                .isEqualTo(1L << 20);
        assertThat(ringBytes(Map.of(), null, "--master", "db1", "--ring-bytes", "1g"))
                .isEqualTo(1L << 30);
        assertOneLine(run("--master", "127.0.0.1:1", "--ring-bytes", "lots"), Main.EXIT_USAGE, "not a byte count");
        assertOneLine(run("--master", "127.0.0.1:1", "--ring-bytes", "1K"), Main.EXIT_USAGE, "ring-bytes");
        // the ring is one array
        assertOneLine(run("--master", "127.0.0.1:1", "--ring-bytes", "2G"), Main.EXIT_USAGE, "to 1073741824 (1G)");
    }

    private static long ringBytes(final Map<String, String> env, final Path yaml, final String... args) {
        final RunCommand command = new RunCommand();
        final CommandLine cli = new CommandLine(command);
        final Set<String> keys = new java.util.TreeSet<>();
        cli.getCommandSpec().options().forEach(o -> keys.add(o.longestName().substring(2)));
        cli.setDefaultValueProvider(OptionDefaults.load(env, yaml, keys));
        cli.parseArgs(args);
        return command.toConfig().ringBytes();
    }

    @Test
    void versionAndHelp() {
        assertThat(run("--version").getKey()).isZero();
        assertThat(run("run", "--help").getKey()).isZero();
    }
}
