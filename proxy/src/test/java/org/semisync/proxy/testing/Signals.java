package org.semisync.proxy.testing;

import java.io.IOException;
import org.semisync.proxy.demo.EmbeddedMariaDb;

/**
 * SIGSTOP / SIGCONT of a server process, by its pid: a replica that stops replying without disconnecting. Sent with
 * bash's built-in kill: a minimal CI image may lack procps' /bin/kill.
 */
public final class Signals {
    private Signals() {}

    public static void stop(final EmbeddedMariaDb server) {
        send("STOP", server.pid());
    }

    /** Resumes {@code server} if it runs (harmless when it was not stopped). */
    public static void cont(final EmbeddedMariaDb server) {
        if (server.isRunning()) {
            send("CONT", server.pid());
        }
    }

    /** Sends {@code signal} (a name such as STOP or CONT) to process {@code pid}; fails if kill does. */
    public static void send(final String signal, final long pid) {
        try {
            final Process p = new ProcessBuilder("bash", "-c", "kill -" + signal + " " + pid)
                    .inheritIO()
                    .start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " exited with " + p.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + signal + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
