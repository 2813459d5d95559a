package org.semisync.proxy.parity;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.Replicas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Differential parity suite: every scenario runs against the MariaDB 11.4.5 built-in semi-sync master (plugin side)
 * and then against a plugin-less 11.4.5 master behind the proxy (proxy side), with the same settings and steps from
 * the same baseline; the two observation records must be equal. Writes each scenario's records to
 * {@code target/parity/<scenario>.txt} and a summary to {@code target/parity/parity-table.md}.
 *
 * <p>{@code -Dparity.proxy=relay} puts a plain relay (no tracker; the master's plugin off) on side B: the control
 * run, which every scenario must fail (reports under {@code target/parity-relay/}).
 */
class ParityIT {
    private static final Logger LOG = LoggerFactory.getLogger(ParityIT.class);

    /** The semi-sync timeout of both sides, ms: short, so held commits cost little. */
    static final long TIMEOUT = 2000;

    private static final boolean RELAY = "relay".equals(System.getProperty("parity.proxy"));

    private static ParityEndpoint plugin;
    private static ParityEndpoint proxy;
    private static long classStarted;
    private static final Map<String, String> TABLE = new LinkedHashMap<>();

    @BeforeAll
    static void startBothSides() throws Exception {
        classStarted = System.nanoTime();
        Files.createDirectories(outDir());
        plugin = NativeEndpoint.start(TIMEOUT);
        proxy = ProxyEndpoint.start(TIMEOUT, RELAY);
        for (ParityEndpoint ep : List.of(plugin, proxy)) {
            try (Connection c = ep.mariadb();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS app.t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
                s.execute("CREATE TABLE IF NOT EXISTS app.pulse (id INT AUTO_INCREMENT PRIMARY KEY)");
            }
            // an account without SUPER, for the privilege checks (not binlogged: the replicas never see it)
            ep.master()
                    .execute(
                            "SET sql_log_bin = 0",
                            "CREATE USER IF NOT EXISTS 'plain'@'%' IDENTIFIED BY 'plain_pass'",
                            "GRANT SELECT, INSERT ON app.* TO 'plain'@'%'");
            for (EmbeddedMariaDb r : ep.replicas()) {
                Replicas.awaitCaughtUp(r, ep.master(), Duration.ofSeconds(60));
            }
        }
        LOG.info("parity: both sides up in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - classStarted));
    }

    @AfterAll
    static void stopBothSides() {
        LOG.info("parity: class wall time {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - classStarted));
        for (ParityEndpoint ep : new ParityEndpoint[] {proxy, plugin}) {
            if (ep != null) {
                ep.close();
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> scenarios() {
        return ParityScenarios.all().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> check(s)));
    }

    /** Runs {@code s} on the plugin, then on the proxy (never concurrently), writes both records, compares them. */
    private static void check(final Scenario s) {
        final long t0 = System.nanoTime();
        final Observations a = runOn(plugin, s);
        final long t1 = System.nanoTime();
        final Observations b = runOn(proxy, s);
        final long t2 = System.nanoTime();
        final List<String> differing = Observations.differences(a, b);
        final String diff = Observations.diff(plugin.name(), a, proxy.name(), b);
        write(
                s.name() + ".txt",
                "# " + s.name() + ": " + s.what() + "\n\n## " + plugin.name() + " (" + ms(t0, t1) + " ms)\n"
                        + a.render() + "\n## " + proxy.name() + " (" + ms(t1, t2) + " ms)\n" + b.render()
                        + "\n## diff\n" + diff);
        TABLE.put(s.name(), row(s, a, b, differing));
        writeTable();
        LOG.info(
                "parity: {} {} ({} + {} ms)",
                s.name(),
                differing.isEmpty() ? "equal" : "DIFFERENT",
                ms(t0, t1),
                ms(t1, t2));
        if (!differing.isEmpty()) {
            fail(s.name() + ": " + differing.size() + " observation(s) differ between " + plugin.name() + " and "
                    + proxy.name() + " " + differing + "\n" + diff);
        }
    }

    private static Observations runOn(final ParityEndpoint ep, final Scenario s) {
        try (ScenarioRun r = new ScenarioRun(ep, TIMEOUT)) {
            try {
                r.baseline();
                s.body().run(r);
            } catch (Exception | AssertionError e) {
                LOG.warn("parity: {} on {} aborted", s.name(), ep.name(), e);
                r.observations().put("scenario aborted", e.getClass().getSimpleName());
            }
            ep.afterScenario(r.observations());
            return r.observations();
        }
    }

    /**
     * One table row: for an equal scenario what it checks; otherwise, per side, the first two differing observations,
     * each reduced to its first differing line (rows) so the cell stays readable.
     */
    private static String row(final Scenario s, final Observations a, final Observations b, final List<String> diff) {
        if (diff.isEmpty()) {
            return "| " + s.name() + " | " + cell(s.what()) + " | same | yes |";
        }
        final StringBuilder pa = new StringBuilder();
        final StringBuilder pb = new StringBuilder();
        for (String n : diff.subList(0, Math.min(2, diff.size()))) {
            final String[] la = a.asMap().getOrDefault(n, "(not recorded)").split("\n");
            final String[] lb = b.asMap().getOrDefault(n, "(not recorded)").split("\n");
            int i = 0;
            while (i < la.length && i < lb.length && la[i].equals(lb[i])) {
                i++;
            }
            pa.append(n)
                    .append(": ")
                    .append(i < la.length ? la[i] : "(no such line)")
                    .append("; ");
            pb.append(n)
                    .append(": ")
                    .append(i < lb.length ? lb[i] : "(no such line)")
                    .append("; ");
        }
        final String more = diff.size() > 2 ? " (+" + (diff.size() - 2) + " more)" : "";
        return "| " + s.name() + " | " + cell(pa.toString().trim()) + " | "
                + cell(pb.toString().trim() + more) + " | no |";
    }

    private static String cell(final String text) {
        final String flat = text.replace("|", "\\|").replace("\n", "<br>");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }

    private static void writeTable() {
        final StringBuilder b =
                new StringBuilder("| scenario | plugin | " + proxy.name() + " | equal |\n|---|---|---|---|\n");
        TABLE.values().forEach(r -> b.append(r).append('\n'));
        write("parity-table.md", b.toString());
    }

    private static void write(final String file, final String text) {
        try {
            Files.writeString(outDir().resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path outDir() {
        return Path.of(System.getProperty("basedir", "."), "target", RELAY ? "parity-relay" : "parity");
    }

    private static long ms(final long from, final long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
