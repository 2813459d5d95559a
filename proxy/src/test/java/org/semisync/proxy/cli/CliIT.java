package org.semisync.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.testing.SharedServers;

/** The fat jar as a user runs it: ready line on stdout, then clients through it. */
@ExtendWith(SharedServers.class)
class CliIT {
    @Test
    void fatJarPrintsReadyAndServesClients() throws Exception {
        final Path jar = Path.of("target", "semisync-proxy.jar");
        assertThat(jar).exists();
        final EmbeddedMariaDb master = SharedServers.master(MariaDbVersion.V10_2_11);
        final Process proxy = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "--master",
                        "127.0.0.1:" + master.port(),
                        "--listen",
                        "127.0.0.1:0")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8))) {
            final String ready = out.readLine();
            final Matcher m = Pattern.compile("ready: listening on 127\\.0\\.0\\.1:(\\d+)")
                    .matcher(String.valueOf(ready));
            assertThat(m.matches()).as(ready).isTrue();
            try (Connection c = DriverManager.getConnection(
                            "jdbc:mariadb://127.0.0.1:" + m.group(1) + "/app", "app", "app_pass");
                    ResultSet rs = c.createStatement().executeQuery("SELECT @@version")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("10.2.11");
            }
        } finally {
            proxy.destroy();
            assertThat(proxy.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.exists(jar)).isTrue();
    }
}
