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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code semisync-proxy demo} as a user runs it: URLs printed, clients served, nothing left after Ctrl-C. */
class DemoIT {
    @Test
    void demoServesClientsAndCleansUpOnStop() throws Exception {
        final Process demo = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dsemisync.maven.repo=" + System.getProperty("semisync.maven.repo", ""),
                        "-jar",
                        Path.of("target", "semisync-proxy.jar").toString(),
                        "demo",
                        "--listen",
                        "127.0.0.1:0")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        final List<String> lines = new ArrayList<>();
        String dataDir = null;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int port = -1;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                final Matcher data = Pattern.compile("\\(data in (\\S+)\\)").matcher(line);
                if (data.find()) {
                    dataDir = data.group(1);
                }
                final Matcher ready = Pattern.compile("^ready: listening on 127\\.0\\.0\\.1:(\\d+)")
                        .matcher(line);
                if (ready.find()) {
                    port = Integer.parseInt(ready.group(1));
                    break;
                }
            }
            assertThat(port).as(String.join("\n", lines)).isPositive();
            final int proxyPort = port;
            assertThat(lines).anyMatch(l -> l.contains("jdbc:mariadb://127.0.0.1:" + proxyPort + "/app"));
            assertThat(lines).anyMatch(l -> l.contains("sysbench oltp_read_write"));
            String status = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("  status:")) {
                    status = line;
                    if (line.contains("semi-sync ON") && line.contains("| 2 replicas")) {
                        break;
                    }
                }
            }
            assertThat(status).as("a status line with both replicas connected").contains("| 2 replicas");
            assertThat(lines).anyMatch(l -> l.startsWith("commit detection: position_probe"));
            try (Connection c = DriverManager.getConnection(
                            "jdbc:mariadb://127.0.0.1:" + port + "/app", "app", "app_pass");
                    ResultSet rs = c.createStatement().executeQuery("SELECT VERSION()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("10.2.11");
                c.createStatement().execute("CREATE TABLE demo_check (id INT PRIMARY KEY)");
                for (int i = 0; i < 10; i++) {
                    c.createStatement().execute("INSERT INTO demo_check VALUES (" + i + ")");
                }
            }
            // the commits were held for ACKs: the status line counts them
            String counted = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("  status:")
                        && Pattern.compile("\\| [1-9]\\d* commits/s")
                                .matcher(line)
                                .find()) {
                    counted = line;
                    break;
                }
            }
            assertThat(counted)
                    .as("a status line counting the acknowledged commits")
                    .contains("ACK wait p50");
        } finally {
            demo.destroy(); // SIGTERM, as Ctrl-C would
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(dataDir).isNotNull();
        assertThat(Files.exists(Path.of(dataDir))).as("demo data dir removed").isFalse();
        final String dir = dataDir;
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info()
                                .arguments()
                                .map(a -> String.join(" ", a).contains(dir))
                                .orElse(false))
                        .count())
                .as("no server left running")
                .isZero();
    }
}
