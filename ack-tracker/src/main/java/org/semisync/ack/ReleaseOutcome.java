package org.semisync.ack;

/** Why a held commit was released. */
public enum ReleaseOutcome {
    /** Enough replicas acknowledged a position at or past the commit (counted in {@code yes_tx}). */
    ACKNOWLEDGED,
    /** This commit's wait hit {@code rpl_semi_sync_master_timeout}; semi-sync switched OFF ({@code no_tx}). */
    TIMED_OUT,
    /** Semi-sync was OFF (or switched OFF while it waited): not waited for ({@code no_tx}). */
    ASYNC,
    /** {@code rpl_semi_sync_master_enabled} is OFF: not semi-sync at all (not counted, like the plugin). */
    DISABLED,
    /** The tracker shut down while the commit waited ({@code no_tx}). */
    SHUTDOWN
}
