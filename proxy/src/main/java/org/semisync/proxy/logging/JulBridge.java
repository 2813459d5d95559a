package org.semisync.proxy.logging;

import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes {@code java.util.logging} (the JDK logs through it, e.g. its TLS and security events) into SLF4J, so its
 * lines come out through logback in the same format as everyone else's instead of JUL's two-line console format.
 * logback's {@code LevelChangePropagator} (in logback.xml) copies logback's levels onto the JUL loggers, so a JUL
 * record below the configured level is dropped by JUL itself and costs nothing.
 */
public final class JulBridge {
    private JulBridge() {}

    /** Removes JUL's console handler and installs the bridge; idempotent. */
    public static synchronized void install() {
        // initialise logback first: its LevelChangePropagator then sets the JUL levels before any record is logged
        LoggerFactory.getILoggerFactory();
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
