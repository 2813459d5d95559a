package org.semisync.proxy.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.semisync.proxy.logging.JulBridge;

/**
 * Routes java.util.logging into logback before any test runs (unit tests and integration tests alike), as
 * {@code Main} does at start-up, so the binlog client's lines in the suite's output have logback's format too.
 * Registered in META-INF/services.
 */
public final class JulBridgeSession implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(final LauncherSession session) {
        JulBridge.install();
    }
}
