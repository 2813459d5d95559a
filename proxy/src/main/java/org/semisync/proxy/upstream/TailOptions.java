package org.semisync.proxy.upstream;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a tail behaves.
 *
 * @param label names the tail in its log lines
 * @param keepAlive whether a lost connection is opened again from the last position (else the tail stops)
 * @param verbose whether connecting and disconnecting are logged at INFO (else DEBUG)
 * @param onStop called once, on the tail's loop, when the tail stops by itself (it could not open the dump, a failure,
 *     or the connection ended without keep-alive), not after {@code close()}
 */
public record TailOptions(String label, boolean keepAlive, boolean verbose, Consumer<Throwable> onStop) {
    /** The shared tail: reconnects by itself, logs its connection. */
    public static final TailOptions SHARED = new TailOptions("tail", true, true, cause -> {});

    public TailOptions {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(onStop, "onStop");
    }
}
