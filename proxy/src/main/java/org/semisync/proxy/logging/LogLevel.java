package org.semisync.proxy.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Locale;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * The process's log level ({@code --log-level}, {@code SEMISYNC_PROXY_LOG_LEVEL}, {@code log-level:}): sets logback's
 * root logger. The libraries kept at WARN in logback.xml (Netty, HikariCP, the binlog client) stay there.
 */
public final class LogLevel {
    private static final Set<String> NAMES = Set.of("off", "error", "warn", "info", "debug", "trace");

    private LogLevel() {}

    /**
     * Parses a level name (case-insensitive).
     *
     * @throws IllegalArgumentException for anything but off, error, warn, info, debug, trace
     */
    public static Level parse(final String name) {
        final String lower = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(lower)) {
            throw new IllegalArgumentException(
                    "log level must be one of error, warn, info, debug, trace, off; got '" + name + "'");
        }
        return Level.toLevel(lower);
    }

    /** Sets the root level; logback's LevelChangePropagator passes it on to java.util.logging. */
    public static void apply(final String name) {
        final Level level = parse(name);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(level);
    }

    /** The root level now (for tests and diagnostics). */
    public static Level current() {
        return ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).getLevel();
    }
}
