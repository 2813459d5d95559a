package org.semisync.ack;

/**
 * Sees every release on the thread that applies the ACK (or timeout), e.g. to feed a commit-wait histogram. Must be
 * fast and not throw.
 */
@FunctionalInterface
public interface ReleaseObserver {
    void released(ReleaseOutcome outcome, long waitedNanos);
}
