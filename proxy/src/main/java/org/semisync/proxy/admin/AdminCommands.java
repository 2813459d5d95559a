package org.semisync.proxy.admin;

import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Answers {@link AdminStatement}s on the proxy port with the proxy's values, so that a DBA reads and sets the
 * semi-sync variables and counters with the plugin's statements. Shared by all sessions (stateless).
 */
public final class AdminCommands {
    private static final Logger LOG = LoggerFactory.getLogger(AdminCommands.class);
    /** ER_SPECIFIC_ACCESS_DENIED_ERROR. */
    public static final int ER_SPECIFIC_ACCESS_DENIED = 1227;
    /** ER_UNKNOWN_SYSTEM_VARIABLE. */
    public static final int ER_UNKNOWN_SYSTEM_VARIABLE = 1193;
    /** ER_WRONG_VALUE_FOR_VAR. */
    public static final int ER_WRONG_VALUE_FOR_VAR = 1231;
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

    /** The answer to a SHOW or SELECT (no privilege needed), for a command of sequence id {@code sequence}. */
    public List<Packet> read(
            final AdminStatement statement,
            final int sequence,
            final long clientCapabilities,
            final ByteBufAllocator alloc) {
        if (statement instanceof AdminStatement.Show show) {
            final Map<String, String> rows = show.status()
                    ? ProxyVariables.status(tracker.status(), probes == null ? 0 : probes.probesSent())
                    : ProxyVariables.variables(tracker.status().settings(), traceLevel.value());
            final List<List<String>> matching = new ArrayList<>();
            rows.forEach((name, value) -> {
                if (show.like().matches(name)) {
                    matching.add(List.of(name, value));
                }
            });
            return ResultSetWriter.write(
                    alloc, sequence, clientCapabilities, List.of("Variable_name", "Value"), matching);
        }
        final AdminStatement.SelectVariables select = (AdminStatement.SelectVariables) statement;
        final Map<String, String> variables =
                ProxyVariables.variables(tracker.status().settings(), traceLevel.value());
        final List<String> row = new ArrayList<>();
        for (final String name : select.names()) {
            final String value = variables.get(name);
            if (value == null) {
                return List.of(
                        error(alloc, sequence, ER_UNKNOWN_SYSTEM_VARIABLE, "Unknown system variable '" + name + "'"));
            }
            row.add(value.equals("ON") ? "1" : value.equals("OFF") ? "0" : value);
        }
        return ResultSetWriter.write(alloc, sequence, clientCapabilities, select.expressions(), List.of(row));
    }

    /**
     * Applies a SET GLOBAL for an account the master says has SUPER ({@code hasSuper}); {@code answer} gets the OK
     * (once the tracker applied the new value, on {@code executor}) or the ERR.
     */
    public void set(
            final AdminStatement.SetVariable set,
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
                answer.accept(error(alloc, sequence, ER_WRONG_VALUE_FOR_VAR, e.getMessage()));
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
        } catch (IllegalArgumentException e) {
            answer.accept(error(alloc, sequence, ER_WRONG_VALUE_FOR_VAR, e.getMessage()));
            return;
        }
        LOG.info("admin - '{}' sets {} = {}", user, set.name(), set.value());
        tracker.configure(next, executor, () -> answer.accept(ResultSetWriter.ok(alloc, sequence)));
    }

    private static Packet error(
            final ByteBufAllocator alloc, final int sequence, final int code, final String message) {
        return new ErrPacket(code, code == ER_SPECIFIC_ACCESS_DENIED ? "42000" : "HY000", message)
                .toPacket(alloc, sequence + 1);
    }
}
