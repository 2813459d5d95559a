package org.semisync.proxy.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling until something real servers do has happened. */
public final class Waits {
    private Waits() {}

    /** Polls {@code condition} every 50 ms; fails with {@code what} after {@code timeout}. */
    public static void until(final String what, final Duration timeout, final BooleanSupplier condition)
            throws InterruptedException {
        until(() -> what, timeout, condition);
    }

    /** As {@link #until(String, Duration, BooleanSupplier)}, with {@code what} told only on failure. */
    public static void until(final Supplier<String> what, final Duration timeout, final BooleanSupplier condition)
            throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what.get());
            }
            Thread.sleep(50);
        }
    }
}
