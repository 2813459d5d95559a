package org.semisync.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Predicate;
import org.semisync.ack.SemiSyncStatus;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.EmbeddedMariaDbBuilder;
import org.semisync.proxy.demo.MariaDbVersion;

/** Pieces of the master + proxy + semi-sync replicas set-ups that the relay and commit tests share. */
public final class SemiSyncTopology {
    private SemiSyncTopology() {}

    /** A started 11.4.5 replica with {@code rpl_semi_sync_slave_enabled=ON}. */
    public static EmbeddedMariaDb semiSyncReplica(final String name, final int serverId) {
        return semiSyncReplicaBuilder(name, serverId).build().start();
    }

    /** The builder of {@link #semiSyncReplica}, for a caller that starts servers in parallel. */
    public static EmbeddedMariaDbBuilder semiSyncReplicaBuilder(final String name, final int serverId) {
        return EmbeddedMariaDb.builder(MariaDbVersion.V11_4_5)
                .name(name)
                .serverId(serverId)
                .option("rpl-semi-sync-slave-enabled", "ON")
                .option("log-slave-updates", null);
    }

    /** Waits up to 30 s until the proxy's tracker status satisfies {@code condition}; fails with the status. */
    public static SemiSyncStatus awaitStatus(final ProxyUnderTest proxy, final Predicate<SemiSyncStatus> condition)
            throws InterruptedException {
        final SemiSyncStatus status = statusWithin(proxy, condition, Duration.ofSeconds(30));
        assertThat(condition.test(status)).as("status %s", status).isTrue();
        return status;
    }

    /**
     * Waits up to {@code limit} until the proxy's tracker status satisfies {@code condition}; returns the status then,
     * which the caller checks (it may not satisfy the condition).
     */
    public static SemiSyncStatus statusWithin(
            final ProxyUnderTest proxy, final Predicate<SemiSyncStatus> condition, final Duration limit)
            throws InterruptedException {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.test(proxy.tracker().status()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return proxy.tracker().status();
    }
}
