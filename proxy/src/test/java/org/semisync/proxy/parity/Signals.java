package org.semisync.proxy.parity;

import java.io.IOException;
import org.semisync.proxy.demo.EmbeddedMariaDb;

/** SIGSTOP / SIGCONT of a server process, by its pid: a replica that stops replying without disconnecting. */
final class Signals {
    private Signals() {}

    static void stop(final EmbeddedMariaDb server) {
        send("-STOP", server);
    }

    /** Resumes {@code server} if it runs (harmless when it was not stopped). */
    static void cont(final EmbeddedMariaDb server) {
        if (server.isRunning()) {
            send("-CONT", server);
        }
    }

    private static void send(final String signal, final EmbeddedMariaDb server) {
        try {
            final Process p = new ProcessBuilder("kill", signal, Long.toString(server.pid()))
                    .inheritIO()
                    .start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(
                        "kill " + signal + " " + server.pid() + " exited with " + p.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("kill " + signal + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
