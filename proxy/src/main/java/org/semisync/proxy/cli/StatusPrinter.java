package org.semisync.proxy.cli;

import java.io.PrintStream;

/**
 * Where {@code demo}'s status line goes: on a terminal it is redrawn in place (carriage return, the line, then
 * "erase to end of line" so a shorter line leaves no tail of the previous one), otherwise — output redirected to a
 * file or read by a program — one line per update, so nothing depends on terminal escapes.
 */
final class StatusPrinter {
    /** ANSI "erase in line" from the cursor to the end (EL 0). */
    static final String CLEAR_TO_END_OF_LINE = "\u001b[K";

    private final boolean inPlace;
    private final PrintStream out;
    private boolean lineOpen;

    StatusPrinter(final boolean inPlace, final PrintStream out) {
        this.inPlace = inPlace;
        this.out = out;
    }

    /** In place when the JVM has a console: stdin and stdout are a terminal (Java 17: null otherwise). */
    static StatusPrinter forStandardOutput() {
        return new StatusPrinter(System.console() != null, System.out);
    }

    boolean inPlace() {
        return inPlace;
    }

    /** Shows {@code line}, replacing the previous one on a terminal. */
    synchronized void show(final String line) {
        if (inPlace) {
            out.print("\r" + line + CLEAR_TO_END_OF_LINE);
            lineOpen = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /**
     * Ends a line redrawn in place, so what is printed next (the shutdown message) starts on a line of its own.
     * Called from the shutdown hook, hence synchronized with {@link #show}.
     */
    synchronized void finish() {
        if (lineOpen) {
            out.println();
            out.flush();
            lineOpen = false;
        }
    }
}
