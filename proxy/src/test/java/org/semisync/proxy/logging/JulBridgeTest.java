package org.semisync.proxy.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * With the production logback.xml: a java.util.logging record (the JDK's own, e.g. its security events) comes out on
 * stderr in logback's one-line format naming its component, and the log level reaches JUL (a disabled level is not
 * even built).
 */
class JulBridgeTest {
    private static final String LOGBACK_LINE =
            "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) \\S+ - .*";
    private static final java.util.logging.Logger JDK_SECURITY =
            java.util.logging.Logger.getLogger("jdk.event.security");

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void productionLogbackAndCapturedStderr() throws Exception {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        final URL production = JulBridge.class.getResource("/logback.xml");
        assertThat(production)
                .as("the production logback.xml on the class path")
                .isNotNull();
        configure(production);
        JulBridge.install();
    }

    @AfterEach
    void testLogbackAndStderrBack() throws Exception {
        System.setErr(originalErr);
        final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    private static void configure(final URL config) throws Exception {
        final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        final JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(config);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aJdkJulRecordComesOutInLogbacksFormat() {
        assertThat(SLF4JBridgeHandler.isInstalled()).isTrue();
        assertThat(java.util.logging.Logger.getLogger("").getHandlers())
                .as("JUL's own console handler is gone")
                .allMatch(h -> h instanceof SLF4JBridgeHandler);

        JDK_SECURITY.warning("certificate expires soon");

        assertThat(stderr().lines()).hasSize(1);
        final String line = stderr().lines().findFirst().orElseThrow();
        assertThat(line).matches(LOGBACK_LINE).endsWith(" WARN  security - certificate expires soon");
        // JUL's SimpleFormatter would have written "<date> jdk.event.security <method>" and "WARNING: ..."
        assertThat(stderr()).doesNotContain("WARNING:");
    }

    @Test
    void disabledJulLevelsAreDroppedByJulItself() {
        // logback.xml keeps jdk at INFO; the propagator copied that onto the JUL logger
        assertThat(JDK_SECURITY.isLoggable(Level.FINE)).isFalse();
        assertThat(JDK_SECURITY.isLoggable(Level.INFO)).isTrue();
        JDK_SECURITY.fine("one line per CA certificate");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void theLogLevelReachesJulAndLogback() {
        final java.util.logging.Logger julOther = java.util.logging.Logger.getLogger("org.example.Library");
        final org.slf4j.Logger proxyLogger = LoggerFactory.getLogger("org.semisync.proxy.client.ClientSession");

        LogLevel.apply("warn");
        assertThat(julOther.isLoggable(Level.INFO)).isFalse();
        proxyLogger.info("client - hidden at warn");
        julOther.info("hidden at warn too");
        assertThat(stderr()).isEmpty();

        LogLevel.apply("DEBUG");
        assertThat(julOther.isLoggable(Level.FINE)).isTrue();
        proxyLogger.debug("client - shown at debug");
        julOther.fine("jul fine shown at debug");
        assertThat(stderr().lines())
                .hasSize(2)
                .allMatch(l -> l.matches(LOGBACK_LINE))
                .anyMatch(l -> l.endsWith(" DEBUG ClientSession - client - shown at debug"))
                .anyMatch(l -> l.endsWith(" DEBUG Library - jul fine shown at debug"));
    }
}
