package org.semisync.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The alerting rules in docker/prometheus are valid ({@code promtool check rules}) and fire where they should and
 * nowhere else ({@code promtool test rules} with input series for every alert).
 */
class AlertRulesTest {
    private static final Path RULES_DIR = Path.of("..", "docker", "prometheus");

    @BeforeEach
    void promtoolInstalled() {
        assumeTrue(
                Files.isExecutable(PromtoolLintTest.PROMTOOL),
                "/usr/bin/promtool is absent: install Debian's prometheus package (.ci/run does)");
    }

    private static String promtool(final String... args) throws IOException, InterruptedException {
        final String[] command = new String[args.length + 1];
        command[0] = PromtoolLintTest.PROMTOOL.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        final Process p = new ProcessBuilder(command)
                .directory(RULES_DIR.toFile())
                .redirectErrorStream(true)
                .start();
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as("promtool %s:%n%s", String.join(" ", args), output)
                .isZero();
        return output;
    }

    @Test
    void rulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", "semisync-alerts.yml")).contains("SUCCESS: 4 rules found");
    }

    @Test
    void everyAlertFiresAndStaysQuietWhereItShould() throws Exception {
        final String output = promtool("test", "rules", "semisync-alerts.test.yml");
        assertThat(output).contains("SUCCESS").doesNotContain("FAILED");
        final String tests = Files.readString(RULES_DIR.resolve("semisync-alerts.test.yml"));
        for (String alert : new String[] {
            "SemiSyncOff", "SemiSyncTooFewReplicas", "SemiSyncReplicaLagging", "SemiSyncCommitsHeldLong"
        }) {
            assertThat(tests).as("a test for " + alert).contains("alertname: " + alert);
        }
    }
}
