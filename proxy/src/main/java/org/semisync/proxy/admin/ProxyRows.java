package org.semisync.proxy.admin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.semisync.ack.SemiSyncStatus;

/**
 * The proxy's rows: {@code variables} (names and values as SHOW VARIABLES shows them) and {@code status} (as SHOW
 * STATUS shows them), in the server's order.
 */
public record ProxyRows(Map<String, String> variables, Map<String, String> status) {
    public ProxyRows {
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        status = Collections.unmodifiableMap(new LinkedHashMap<>(status));
    }

    /** The rows of a tracker snapshot, the trace level in force and the number of position probes sent. */
    public static ProxyRows of(final SemiSyncStatus status, final long traceLevel, final long positionProbes) {
        return new ProxyRows(
                ProxyVariables.variables(status.settings(), traceLevel), ProxyVariables.status(status, positionProbes));
    }
}
