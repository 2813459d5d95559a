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

    /**
     * Sends {@code signal} (a name such as STOP or CONT) to the processes {@code pids}, with one kill, so at the same
     * moment; fails if kill does.
     */
    public static void send(final String signal, final long... pids) {
        final StringBuilder list = new StringBuilder();
        for (long pid : pids) {
            list.append(' ').append(pid);
        }
        final String command = "kill -" + signal + list;
        try {
            final Process p =
                    new ProcessBuilder("bash", "-c", command).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(command + " exited with " + p.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException(command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** SIGTERM to {@code process}, then SIGKILL if it has not exited within 10 s; waits for it. */
    public static void terminate(final Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
