package org.semisync.proxy.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * {@code rpl_semi_sync_master_trace_level}: the plugin's bit mask (1 general, 16 detail, 32 network waits — the
 * default —, 64 function calls) mapped onto the log level of the proxy's semi-sync components: 64 → TRACE, 16 →
 * DEBUG, otherwise INFO. Settable at run time like the plugin's; one value for the whole proxy.
 */
public final class TraceLevel {
    /** The plugin's default: network waits. */
    public static final long DEFAULT = 32;

    public static final String NAME = "rpl_semi_sync_master_trace_level";

    private static final long DETAIL = 16;
    private static final long FUNCTION = 64;
    private static final List<String> COMPONENTS = List.of(
            "org.semisync.ack", "org.semisync.proxy.commit", "org.semisync.proxy.replica", "org.semisync.proxy.binlog");

    private volatile long value = DEFAULT;

    public long value() {
        return value;
    }

    /**
     * Sets the mask from a SET GLOBAL value.
     *
     * @throws IllegalArgumentException with the server's wording, for a value that is not a non-negative integer
     */
    public void set(final String text) {
        long next;
        try {
            next = text.trim().equalsIgnoreCase("DEFAULT") ? DEFAULT : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Incorrect argument type to variable '" + NAME + "'", e);
        }
        next = Math.max(0, next); // clamped, as the server does
        value = next;
        final Level level = (next & FUNCTION) != 0 ? Level.TRACE : (next & DETAIL) != 0 ? Level.DEBUG : null;
        for (final String component : COMPONENTS) {
            if (LoggerFactory.getLogger(component) instanceof Logger logger) {
                logger.setLevel(level); // null: inherit the configured level again
            }
        }
    }
}
