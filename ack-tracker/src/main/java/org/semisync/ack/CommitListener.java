package org.semisync.ack;

/** Receives the release of one held commit, exactly once, on the executor given at registration. */
@FunctionalInterface
public interface CommitListener {
    /**
     * @param outcome why the commit was released
     * @param waitedNanos how long it was held
     */
    void released(ReleaseOutcome outcome, long waitedNanos);
}
