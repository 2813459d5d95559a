package org.semisync.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusPrinterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalEachLineOverwritesThePreviousOneWithoutANewline() {
        final StatusPrinter printer = new StatusPrinter(true, out);
        printer.show("  status: semi-sync ON | 120 commits/s");
        printer.show("  status: semi-sync OFF");
        assertThat(printed())
                .isEqualTo("\r  status: semi-sync ON | 120 commits/s\u001b[K\r  status: semi-sync OFF\u001b[K")
                .doesNotContain("\n");
    }

    @Test
    void finishingOnATerminalEndsTheOpenLineOnce() {
        final StatusPrinter printer = new StatusPrinter(true, out);
        printer.show("a");
        printer.finish();
        printer.finish();
        assertThat(printed()).isEqualTo("\ra\u001b[K" + System.lineSeparator());
    }

    @Test
    void finishingBeforeAnyLineOnATerminalPrintsNothing() {
        new StatusPrinter(true, out).finish();
        assertThat(printed()).isEmpty();
    }

    @Test
    void withoutATerminalEveryUpdateIsALineOfItsOwnWithoutEscapes() {
        final StatusPrinter printer = new StatusPrinter(false, out);
        printer.show("  status: one");
        printer.show("  status: two");
        printer.finish();
        final String n = System.lineSeparator();
        assertThat(printed()).isEqualTo("  status: one" + n + "  status: two" + n);
    }

    @Test
    void theChoiceFollowsWhetherTheJvmHasAConsole() {
        // under Surefire stdout is a pipe to the forked JVM's parent, so this exercises the non-terminal branch; the
        // assertion ties the choice to System.console() in either case
        assertThat(StatusPrinter.forStandardOutput().inPlace()).isEqualTo(System.console() != null);
    }
}
