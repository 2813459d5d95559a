package org.semisync.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semisync.proxy.logging.LogLevel;
import picocli.CommandLine;

/** {@code --log-level} from the command line, the environment and the YAML file sets the root level. */
class LogLevelOptionTest {
    private Level saved;

    @BeforeEach
    void save() {
        saved = LogLevel.current();
    }

    @AfterEach
    void restore() {
        LogLevel.apply(saved.levelStr);
    }

    private static int runQuietly(final String... args) {
        final PrintStream original = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return Main.execute(args);
        } finally {
            System.setErr(original);
        }
    }

    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void commandLineSetsTheLevelBeforeAnythingElseRuns() throws Exception {
        LogLevel.apply("info");
        final int code = runQuietly("--master", "127.0.0.1:" + deadPort(), "--log-level", "debug");
        assertThat(code).isEqualTo(Main.EXIT_FAILURE); // master unreachable, but the level was applied first
        assertThat(LogLevel.current()).isEqualTo(Level.DEBUG);
    }

    @Test
    void yamlKeyLogLevel(@TempDir final Path dir) throws Exception {
        LogLevel.apply("info");
        final Path yaml = Files.writeString(dir.resolve("proxy.yaml"), "log-level: error\n");
        final int code = runQuietly("--master", "127.0.0.1:" + deadPort(), "--config", yaml.toString());
        assertThat(code).isEqualTo(Main.EXIT_FAILURE);
        assertThat(LogLevel.current()).isEqualTo(Level.ERROR);
    }

    @Test
    void environmentBeatsYaml(@TempDir final Path dir) throws Exception {
        final Path yaml = Files.writeString(dir.resolve("proxy.yaml"), "master: db1:3306\nlog-level: error\n");
        final RunCommand command = new RunCommand();
        final CommandLine cli = new CommandLine(command);
        final Set<String> keys = new TreeSet<>();
        cli.getCommandSpec().options().forEach(o -> keys.add(o.longestName().substring(2)));
        cli.setDefaultValueProvider(OptionDefaults.load(Map.of("SEMISYNC_PROXY_LOG_LEVEL", "trace"), yaml, keys));
        cli.parseArgs();
        command.logging.apply();
        assertThat(LogLevel.current()).isEqualTo(Level.TRACE);
    }

    @Test
    void aBadLevelIsAUsageError() {
        final PrintStream original = System.err;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        final int code;
        try {
            code = Main.execute("--master", "127.0.0.1:1", "--log-level", "loud");
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("log level must be one of")
                .contains("'loud'");
    }
}
