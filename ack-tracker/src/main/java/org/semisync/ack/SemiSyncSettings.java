package org.semisync.ack;

/**
 * The plugin's master-side variables, plus {@code enforced} (never fall back to asynchronous mode).
 *
 * @param enabled {@code rpl_semi_sync_master_enabled}
 * @param timeoutMillis {@code rpl_semi_sync_master_timeout}, milliseconds
 * @param waitForSlaveCount {@code rpl_semi_sync_master_wait_for_slave_count}, 1..65535
 * @param waitNoSlave {@code rpl_semi_sync_master_wait_no_slave}
 * @param enforced never switch to asynchronous mode: a commit waits until its quorum ACKs
 * @param waitPoint {@code rpl_semi_sync_master_wait_point}
 */
public record SemiSyncSettings(
        boolean enabled,
        long timeoutMillis,
        int waitForSlaveCount,
        boolean waitNoSlave,
        boolean enforced,
        WaitPoint waitPoint) {
    /** The plugin's defaults with the master side enabled: timeout 10 s, one ACK, wait_no_slave ON. */
    public static final SemiSyncSettings DEFAULTS = new SemiSyncSettings(true, 10_000, 1, true, false);

    /** Settings with the AFTER_COMMIT wait point. */
    public SemiSyncSettings(
            final boolean enabled,
            final long timeoutMillis,
            final int waitForSlaveCount,
            final boolean waitNoSlave,
            final boolean enforced) {
        this(enabled, timeoutMillis, waitForSlaveCount, waitNoSlave, enforced, WaitPoint.AFTER_COMMIT);
    }

    public SemiSyncSettings {
        java.util.Objects.requireNonNull(waitPoint, "waitPoint");
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("rpl_semi_sync_master_timeout must be >= 0, got " + timeoutMillis);
        }
        if (waitForSlaveCount < 1 || waitForSlaveCount > 65535) {
            throw new IllegalArgumentException(
                    "rpl_semi_sync_master_wait_for_slave_count must be 1..65535, got " + waitForSlaveCount);
        }
    }

    public SemiSyncSettings withEnabled(final boolean value) {
        return new SemiSyncSettings(value, timeoutMillis, waitForSlaveCount, waitNoSlave, enforced, waitPoint);
    }

    public SemiSyncSettings withTimeoutMillis(final long value) {
        return new SemiSyncSettings(enabled, value, waitForSlaveCount, waitNoSlave, enforced, waitPoint);
    }

    public SemiSyncSettings withWaitForSlaveCount(final int value) {
        return new SemiSyncSettings(enabled, timeoutMillis, value, waitNoSlave, enforced, waitPoint);
    }

    public SemiSyncSettings withWaitNoSlave(final boolean value) {
        return new SemiSyncSettings(enabled, timeoutMillis, waitForSlaveCount, value, enforced, waitPoint);
    }

    public SemiSyncSettings withEnforced(final boolean value) {
        return new SemiSyncSettings(enabled, timeoutMillis, waitForSlaveCount, waitNoSlave, value, waitPoint);
    }

    public SemiSyncSettings withWaitPoint(final WaitPoint value) {
        return new SemiSyncSettings(enabled, timeoutMillis, waitForSlaveCount, waitNoSlave, enforced, value);
    }
}
