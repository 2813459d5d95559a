package org.semisync.proxy.cli;

import org.semisync.proxy.logging.LogLevel;
import picocli.CommandLine.Option;

/** {@code --log-level}, shared by {@code run} and {@code demo}. */
final class LogLevelOption {
    @Option(
            names = "--log-level",
            paramLabel = "LEVEL",
            defaultValue = "${env:SEMISYNC_PROXY_LOG_LEVEL:-info}",
            description = "error, warn, info, debug or trace (default ${DEFAULT-VALUE}).")
    String level;

    /** Applies the level; {@link IllegalArgumentException} names a bad value. */
    void apply() {
        LogLevel.apply(level);
    }
}
