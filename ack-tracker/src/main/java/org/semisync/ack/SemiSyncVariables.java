package org.semisync.ack;

import java.util.List;
import java.util.Locale;

/**
 * Maps {@code SET GLOBAL rpl_semi_sync_master_...} onto {@link SemiSyncSettings}, with the plugin's names and value
 * syntax (ON/OFF/1/0/TRUE/FALSE for switches, plain integers otherwise), so the proxy can forward them 1:1.
 * {@code rpl_semi_sync_master_enforced} is ours; the plugin has no such variable.
 */
public final class SemiSyncVariables {
    public static final String ENABLED = "rpl_semi_sync_master_enabled";
    public static final String TIMEOUT = "rpl_semi_sync_master_timeout";
    public static final String WAIT_FOR_SLAVE_COUNT = "rpl_semi_sync_master_wait_for_slave_count";
    public static final String WAIT_NO_SLAVE = "rpl_semi_sync_master_wait_no_slave";
    public static final String ENFORCED = "rpl_semi_sync_master_enforced";
    public static final String WAIT_POINT = "rpl_semi_sync_master_wait_point";

    /** Every variable this class understands, in {@code SHOW VARIABLES} order. */
    public static final List<String> NAMES =
            List.of(ENABLED, ENFORCED, TIMEOUT, WAIT_FOR_SLAVE_COUNT, WAIT_NO_SLAVE, WAIT_POINT);

    /** The plugin's compiled defaults, what {@code SET GLOBAL x = DEFAULT} restores. */
    public static final SemiSyncSettings PLUGIN_DEFAULTS = SemiSyncSettings.DEFAULTS.withEnabled(false);

    /** A value of the wrong type (a word for a number): the server's ER_WRONG_TYPE_FOR_VAR. */
    public static final class IncorrectType extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        IncorrectType(final String name, final Throwable cause) {
            super("Incorrect argument type to variable '" + name + "'", cause);
        }
    }

    private SemiSyncVariables() {}

    /**
     * Returns {@code current} with variable {@code name} (case-insensitive) set to {@code value}.
     *
     * @throws IllegalArgumentException naming the variable and the value, for an unknown variable or a bad value
     */
    public static SemiSyncSettings set(final SemiSyncSettings current, final String name, final String value) {
        final String key = name.trim().toLowerCase(Locale.ROOT);
        if (value.trim().equalsIgnoreCase("DEFAULT")) {
            // the plugin's compiled defaults (enabled is OFF there)
            return set(current, key, get(PLUGIN_DEFAULTS, key));
        }
        return switch (key) {
            case ENABLED -> current.withEnabled(parseSwitch(key, value));
            case TIMEOUT -> current.withTimeoutMillis(parseNumber(key, value, 0, Long.MAX_VALUE));
            case WAIT_FOR_SLAVE_COUNT -> current.withWaitForSlaveCount((int) parseNumber(key, value, 1, 65535));
            case WAIT_NO_SLAVE -> current.withWaitNoSlave(parseSwitch(key, value));
            case ENFORCED -> current.withEnforced(parseSwitch(key, value));
            case WAIT_POINT -> current.withWaitPoint(parseWaitPoint(key, value));
            default -> throw new IllegalArgumentException("Unknown system variable '" + name + "'");
        };
    }

    /** The value of {@code name} as {@code SHOW VARIABLES} prints it (ON/OFF or a number). */
    public static String get(final SemiSyncSettings s, final String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case ENABLED -> onOff(s.enabled());
            case TIMEOUT -> Long.toString(s.timeoutMillis());
            case WAIT_FOR_SLAVE_COUNT -> Integer.toString(s.waitForSlaveCount());
            case WAIT_NO_SLAVE -> onOff(s.waitNoSlave());
            case ENFORCED -> onOff(s.enforced());
            case WAIT_POINT -> s.waitPoint().name();
            default -> throw new IllegalArgumentException("Unknown system variable '" + name + "'");
        };
    }

    private static String onOff(final boolean b) {
        return b ? "ON" : "OFF";
    }

    /** AFTER_SYNC / AFTER_COMMIT, or their positions 0 / 1 in the plugin's enumeration. */
    public static WaitPoint parseWaitPoint(final String name, final String value) {
        return switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "AFTER_SYNC", "0" -> WaitPoint.AFTER_SYNC;
            case "AFTER_COMMIT", "1" -> WaitPoint.AFTER_COMMIT;
            default ->
                throw new IllegalArgumentException(
                        "Variable '" + name + "' can't be set to the value of '" + value + "'");
        };
    }

    private static boolean parseSwitch(final String name, final String value) {
        return switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "ON", "1", "TRUE" -> true;
            case "OFF", "0", "FALSE" -> false;
            default ->
                throw new IllegalArgumentException(
                        "Variable '" + name + "' can't be set to the value of '" + value + "'");
        };
    }

    /** A number clamped into {@code min..max}, as the server does (with a warning) for out-of-range values. */
    private static long parseNumber(final String name, final String value, final long min, final long max) {
        final long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IncorrectType(name, e);
        }
        return Math.max(min, Math.min(max, n));
    }
}
