package org.semisync.proxy.admin;

import java.util.Locale;
import org.semisync.ack.SemiSyncSettings;

/**
 * Applies {@code SET GLOBAL rpl_semi_sync_master_x = value} to the settings, with the server's checks and error codes.
 */
public final class VariableAssignment {
    /** ER_WRONG_VALUE_FOR_VAR. */
    public static final int ER_WRONG_VALUE_FOR_VAR = 1231;
    /** ER_WRONG_TYPE_FOR_VAR. */
    public static final int ER_WRONG_TYPE_FOR_VAR = 1232;
    /** ER_INCORRECT_GLOBAL_LOCAL_VAR: the variable is read-only here. */
    public static final int ER_INCORRECT_GLOBAL_LOCAL_VAR = 1238;

    private VariableAssignment() {}

    /**
     * The settings after the assignment.
     *
     * @throws AssignmentException with the server's error code for an unknown name or a bad value
     */
    public static SemiSyncSettings apply(final SemiSyncSettings s, final String name, final String value) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "rpl_semi_sync_master_enabled" -> s.withEnabled(bool(name, value));
            case "rpl_semi_sync_master_wait_no_slave" -> s.withWaitNoSlave(bool(name, value));
            case "rpl_semi_sync_master_timeout" -> s.withTimeoutMillis(number(name, value, 0, Long.MAX_VALUE));
            case "rpl_semi_sync_master_wait_for_slave_count" ->
                s.withWaitForSlaveCount((int) number(name, value, 1, 65535));
            case "rpl_semi_sync_master_wait_point" ->
                throw new AssignmentException(
                        ER_INCORRECT_GLOBAL_LOCAL_VAR,
                        "Variable '" + name
                                + "' is fixed to AFTER_COMMIT: a proxy cannot wait inside the master's commit");
            default ->
                throw new AssignmentException(
                        VariableRows.UnknownVariableException.ER_UNKNOWN_SYSTEM_VARIABLE,
                        "Unknown system variable '" + name + "'");
        };
    }

    private static boolean bool(final String name, final String value) {
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "ON", "1", "TRUE" -> true;
            case "OFF", "0", "FALSE" -> false;
            default ->
                throw new AssignmentException(
                        ER_WRONG_VALUE_FOR_VAR, "Variable '" + name + "' can't be set to the value of '" + value + "'");
        };
    }

    private static long number(final String name, final String value, final long min, final long max) {
        final long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new AssignmentException(ER_WRONG_TYPE_FOR_VAR, "Incorrect argument type to variable '" + name + "'");
        }
        if (n < min || n > max) {
            throw new AssignmentException(
                    ER_WRONG_VALUE_FOR_VAR, "Variable '" + name + "' can't be set to the value of '" + value + "'");
        }
        return n;
    }

    /** A refused assignment, with the error code the client gets. */
    public static final class AssignmentException extends RuntimeException {
        private final int errorCode;

        public AssignmentException(final int errorCode, final String message) {
            super(message);
            this.errorCode = errorCode;
        }

        public int errorCode() {
            return errorCode;
        }
    }
}
