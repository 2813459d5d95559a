package org.semisync.proxy.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.semisync.proxy.config.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the master is reachable: yes while the binlog tail streams (no extra connection); otherwise a TCP connect
 * with a timeout. Blocks for at most the timeout, so it runs on the metrics thread, never on an event loop. A bare
 * TCP connect counts as a failed handshake on the master (max_connect_errors), so the proxy's own successful
 * connections must keep resetting that counter; with --replication-user the tail answers and no connect is made.
 */
public final class MasterReachability implements BooleanSupplier {
    private static final Logger LOG = LoggerFactory.getLogger(MasterReachability.class);

    private final HostPort master;
    private final Duration timeout;
    private final BooleanSupplier tailStreaming;
    private volatile boolean lastAnswer = true;

    /** @param tailStreaming whether the binlog tail streams now ({@code () -> false} without a tail) */
    public MasterReachability(final HostPort master, final Duration timeout, final BooleanSupplier tailStreaming) {
        this.master = master;
        this.timeout = timeout;
        this.tailStreaming = tailStreaming;
    }

    @Override
    public boolean getAsBoolean() {
        final boolean reachable = tailStreaming.getAsBoolean() || connects();
        if (reachable != lastAnswer) {
            LOG.info("health - master {} is {}", master, reachable ? "reachable again" : "unreachable");
            lastAnswer = reachable;
        }
        return reachable;
    }

    private boolean connects() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(master.host(), master.port()), (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            LOG.debug("health - TCP connect to master {} failed: {}", master, e.toString());
            return false;
        }
    }
}
