package org.semisync.proxy.commit;

import java.util.function.BiConsumer;
import org.semisync.ack.BinlogPosition;
import org.semisync.proxy.config.HostPort;

/**
 * Position-probe mode's source of "a binlog position at or past my commit": {@code SHOW MASTER STATUS} on the
 * {@link ControlPool}, batched by a {@link ProbeBatcher} so that one probe serves every session whose OK arrived
 * before it was sent. Shared by all sessions.
 */
public final class PositionProbes implements AutoCloseable {
    private final ControlPool pool;
    private final ProbeBatcher<BinlogPosition> batcher;

    public PositionProbes(final ControlPool pool) {
        this.pool = pool;
        this.batcher = new ProbeBatcher<>(pool::masterPosition);
    }

    /** Probes through a pool of {@code size} connections as {@code user} (needs REPLICATION CLIENT). */
    public static PositionProbes connect(
            final HostPort master, final String user, final String password, final int size) {
        return new PositionProbes(new ControlPool(master, user, password, size));
    }

    /** Asks for a position at or past everything committed before this call; the callback runs off the event loop. */
    public void request(final BiConsumer<BinlogPosition, Throwable> callback) {
        batcher.request(callback);
    }

    /** Probes sent so far. */
    public long probesSent() {
        return batcher.probesSent();
    }

    /** The pool, e.g. to detect the master's mode. */
    public ControlPool pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
