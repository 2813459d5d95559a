package org.semisync.proxy.health;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.semisync.ack.ReplicaLag;
import org.semisync.ack.SemiSyncStatus;

/**
 * Computes {@link ReadyReport}: ready when the master is reachable and the proxy accepts clients. Semi-sync being
 * OFF does not make the proxy unready (it still serves, like the plugin after a timeout); it is in the body and in
 * the metrics for alerting. Runs on the metrics thread.
 */
public final class Readiness {
    private final Supplier<SemiSyncStatus> status;
    private final BooleanSupplier masterReachable;
    private final BooleanSupplier acceptingClients;
    private final Supplier<String> tail;

    /**
     * @param status the tracker's status
     * @param masterReachable may block briefly (a TCP connect with a timeout)
     * @param acceptingClients the listening socket is open and the process is not shutting down
     * @param tail the binlog tail's {@code file:pos}, null without a tail
     */
    public Readiness(
            final Supplier<SemiSyncStatus> status,
            final BooleanSupplier masterReachable,
            final BooleanSupplier acceptingClients,
            final Supplier<String> tail) {
        this.status = status;
        this.masterReachable = masterReachable;
        this.acceptingClients = acceptingClients;
        this.tail = tail;
    }

    /** The report now. */
    public ReadyReport check() {
        final boolean accepting = acceptingClients.getAsBoolean();
        final boolean reachable = masterReachable.getAsBoolean();
        final SemiSyncStatus s = status.get();
        final double lag = ReplicaLag.bytesBehind(s.quorumPosition(), s.newestCommitted());
        return new ReadyReport(
                reachable && accepting,
                reachable,
                accepting,
                s.on(),
                s.clients(),
                tail.get(),
                Double.isNaN(lag) ? null : (long) lag);
    }
}
