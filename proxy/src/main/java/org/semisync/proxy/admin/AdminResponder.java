package org.semisync.proxy.admin;

import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import org.semisync.ack.AckTracker;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.OkPacket;
import org.semisync.proxy.protocol.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the admin statements from the tracker's state: SELECT @@ of the proxy's variables, SET GLOBAL of them (for
 * accounts with SUPER on the master), and the merged SHOW VARIABLES / SHOW STATUS once the master's rows are in.
 */
public final class AdminResponder {
    /** ER_SPECIFIC_ACCESS_DENIED_ERROR. */
    public static final int ER_SPECIFIC_ACCESS_DENIED = 1227;

    private static final Logger LOG = LoggerFactory.getLogger(AdminResponder.class);

    private final AckTracker tracker;
    private final int traceLevel;

    public AdminResponder(final AckTracker tracker, final int traceLevel) {
        this.tracker = tracker;
        this.traceLevel = traceLevel;
    }

    /** The result set (or ERR) answering {@code SELECT @@...}. */
    public List<Packet> select(
            final AdminStatement.SelectVariables s, final ResultSetWriter writer, final ByteBufAllocator alloc) {
        try {
            final List<String> row = VariableRows.select(
                    s.names(), StatusRows.variables(tracker.status().settings(), traceLevel));
            return writer.write(alloc, s.expressions(), List.of(row));
        } catch (VariableRows.UnknownVariableException e) {
            return List.of(new ErrPacket(
                            VariableRows.UnknownVariableException.ER_UNKNOWN_SYSTEM_VARIABLE, "HY000", e.getMessage())
                    .toPacket(alloc, 1));
        }
    }

    /** The merged result set answering a SHOW, given the master's own rows for the same statement. */
    public List<Packet> show(
            final AdminStatement.Show s,
            final List<List<String>> masterRows,
            final ResultSetWriter writer,
            final ByteBufAllocator alloc) {
        final var proxyRows = s.status()
                ? StatusRows.status(tracker.status())
                : StatusRows.variables(tracker.status().settings(), traceLevel);
        return writer.write(alloc, s.columns(), VariableRows.merge(masterRows, proxyRows, s.like()));
    }

    /**
     * Applies a SET GLOBAL; {@code hasSuper} is what the master says about the account (SUPER, or on newer servers
     * the dynamic privileges that replace it).
     */
    public Packet set(
            final AdminStatement.SetVariable s,
            final boolean hasSuper,
            final String account,
            final int status,
            final long clientCapabilities,
            final ByteBufAllocator alloc) {
        if (!hasSuper) {
            return new ErrPacket(
                            ER_SPECIFIC_ACCESS_DENIED,
                            "42000",
                            "Access denied; you need (at least one of) the SUPER privilege(s) for this operation")
                    .toPacket(alloc, 1);
        }
        try {
            final SemiSyncSettings next =
                    VariableAssignment.apply(tracker.status().settings(), s.name(), s.value());
            tracker.configure(next);
            LOG.info("AdminResponder: {} set {} = {}", account, s.name(), s.value());
            return new Packet(1, OkPacket.of(0, 0, status, 0).encode(alloc, clientCapabilities));
        } catch (VariableAssignment.AssignmentException e) {
            return new ErrPacket(e.errorCode(), "42000", e.getMessage()).toPacket(alloc, 1);
        }
    }
}
