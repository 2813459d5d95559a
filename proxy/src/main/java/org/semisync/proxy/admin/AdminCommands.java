package org.semisync.proxy.admin;

import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.semisync.ack.AckTracker;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.ack.SemiSyncVariables;
import org.semisync.proxy.commit.PositionProbes;
import org.semisync.proxy.protocol.ErrPacket;
import org.semisync.proxy.protocol.Packet;
import org.semisync.proxy.protocol.ResultSetWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's side of the plugin's statements on the proxy port: applies {@code SET GLOBAL} of the semi-sync
 * variables ({@link AdminStatement}) and supplies the rows that reads of them show ({@link #rows()}, put in place of
 * the master's by {@link VariableReads}). Shared by all sessions.
 */
public final class AdminCommands {
    private static final Logger LOG = LoggerFactory.getLogger(AdminCommands.class);
    /** ER_SPECIFIC_ACCESS_DENIED_ERROR. */
    public static final int ER_SPECIFIC_ACCESS_DENIED = 1227;
    /** ER_UNKNOWN_SYSTEM_VARIABLE. */
    public static final int ER_UNKNOWN_SYSTEM_VARIABLE = 1193;
    /** ER_WRONG_VALUE_FOR_VAR. */
    public static final int ER_WRONG_VALUE_FOR_VAR = 1231;
    /** ER_WRONG_TYPE_FOR_VAR. */
    public static final int ER_WRONG_TYPE_FOR_VAR = 1232;
    /** ER_INCORRECT_GLOBAL_LOCAL_VAR: read-only here. */
    public static final int ER_INCORRECT_GLOBAL_LOCAL_VAR = 1238;

    /**
     * Asks the master, on the session's own connection, whether the account has SUPER: one row with a count. The
     * plugin's variables need SUPER (MariaDB) or SYSTEM_VARIABLES_ADMIN; SUPER is what every version has.
     */
    public static final String SUPER_CHECK = "SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES"
            + " WHERE PRIVILEGE_TYPE = 'SUPER' AND GRANTEE = CONCAT('''',"
            + " SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')";

    private final AckTracker tracker;
    private final PositionProbes probes;
    private final TraceLevel traceLevel = new TraceLevel();

    public AdminCommands(final AckTracker tracker, final PositionProbes probes) {
        this.tracker = tracker;
        this.probes = probes;
    }

    /** {@code FLUSH STATUS}: resets the counters the plugin resets. */
    public void resetStats() {
        tracker.resetStats(Runnable::run, () -> LOG.debug("admin - semi-sync counters reset by FLUSH STATUS"));
    }

    /** The proxy's rows now, for reads rewritten for the master ({@link VariableReads}). */
    public ProxyRows rows() {
        return ProxyRows.of(tracker.status(), traceLevel.value(), probes == null ? 0 : probes.probesSent());
    }

    /**
     * Applies a SET GLOBAL for an account the master says has SUPER ({@code hasSuper}); {@code answer} gets the OK
     * (once the tracker applied the new value, on {@code executor}) or the ERR.
     */
    public void set(
            final AdminStatement set,
            final boolean hasSuper,
            final String user,
            final int sequence,
            final ByteBufAllocator alloc,
            final Executor executor,
            final Consumer<Packet> answer) {
        if (!hasSuper) {
            answer.accept(error(
                    alloc,
                    sequence,
                    ER_SPECIFIC_ACCESS_DENIED,
                    "Access denied; you need (at least one of) the SUPER privilege(s) for this operation"));
            return;
        }
        if (set.name().equals(TraceLevel.NAME)) {
            try {
                traceLevel.set(set.value());
            } catch (IllegalArgumentException e) {
                answer.accept(error(alloc, sequence, ER_WRONG_TYPE_FOR_VAR, e.getMessage()));
                return;
            }
            LOG.info("admin - '{}' sets {} = {}", user, set.name(), set.value());
            answer.accept(ResultSetWriter.ok(alloc, sequence));
            return;
        }
        if (!SemiSyncVariables.NAMES.contains(set.name())) {
            answer.accept(
                    ProxyVariables.variables(SemiSyncSettings.DEFAULTS, TraceLevel.DEFAULT)
                                    .containsKey(set.name())
                            ? error(
                                    alloc,
                                    sequence,
                                    ER_INCORRECT_GLOBAL_LOCAL_VAR,
                                    "Variable '" + set.name() + "' is a read only variable on semisync-proxy")
                            : error(
                                    alloc,
                                    sequence,
                                    ER_UNKNOWN_SYSTEM_VARIABLE,
                                    "Unknown system variable '" + set.name() + "'"));
            return;
        }
        final SemiSyncSettings next;
        try {
            next = SemiSyncVariables.set(tracker.status().settings(), set.name(), set.value());
        } catch (SemiSyncVariables.IncorrectType e) {
            answer.accept(error(alloc, sequence, ER_WRONG_TYPE_FOR_VAR, e.getMessage()));
            return;
        } catch (IllegalArgumentException e) {
            answer.accept(error(alloc, sequence, ER_WRONG_VALUE_FOR_VAR, e.getMessage()));
            return;
        }
        LOG.info("admin - '{}' sets {} = {}", user, set.name(), set.value());
        tracker.configure(next, executor, () -> answer.accept(ResultSetWriter.ok(alloc, sequence)));
    }

    private static Packet error(
            final ByteBufAllocator alloc, final int sequence, final int code, final String message) {
        // the server's SQLSTATEs: 42000 for access and value errors, HY000 for unknown or read-only variables
        return new ErrPacket(
                        code,
                        code == ER_SPECIFIC_ACCESS_DENIED
                                        || code == ER_WRONG_VALUE_FOR_VAR
                                        || code == ER_WRONG_TYPE_FOR_VAR
                                ? "42000"
                                : "HY000",
                        message)
                .toPacket(alloc, sequence + 1);
    }
}
