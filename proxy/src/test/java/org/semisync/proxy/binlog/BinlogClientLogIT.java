package org.semisync.proxy.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.testing.SharedServers;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The suite's output has one format: the real binlog client's java.util.logging lines (it logs "Connected to …" at
 * INFO) arrive in logback, and JUL has no console handler of its own left to print them in its two-line format.
 * The bridge is installed by the suite's set-up ({@code JulBridgeSession}), not by this test.
 */
@ExtendWith(SharedServers.class)
class BinlogClientLogIT {
    @Test
    void theBinlogClientsJulLinesGoThroughLogback() throws Exception {
        assertThat(java.util.logging.Logger.getLogger("").getHandlers())
                .as("JUL root handlers in the suite (a ConsoleHandler would print JUL's own format)")
                .isNotEmpty()
                .allMatch(h -> h instanceof SLF4JBridgeHandler, "is the SLF4J bridge");

        final EmbeddedMariaDb master = SharedServers.master(MariaDbVersion.V11_4_5);
        final Logger library = (Logger) LoggerFactory.getLogger("com.github.shyiko");
        final ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        library.addAppender(captured);
        try (BinlogTail tail = new BinlogTail(
                "127.0.0.1", master.port(), EmbeddedMariaDb.REPL_USER, EmbeddedMariaDb.REPL_PASSWORD, 9100, e -> {})) {
            final String[] start = master.masterStatus().split(":");
            tail.startAt(start[0], Long.parseLong(start[1]), 10_000);
        } finally {
            library.detachAppender(captured);
        }
        assertThat(captured.list)
                .as("the binlog client's own log records, received by logback")
                .anySatisfy(e -> {
                    assertThat(e.getLoggerName()).isEqualTo("com.github.shyiko.mysql.binlog.BinaryLogClient");
                    assertThat(e.getFormattedMessage()).startsWith("Connected to 127.0.0.1:" + master.port());
                });
    }
}
