package org.semisync.proxy.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the rows of the proxy's answers: SHOW VARIABLES/STATUS merges the master's {@code (name, value)} rows with
 * the proxy's own (the proxy's win for its names, sorted by name as the server sorts them), and SELECT @@ reads one
 * row of proxy values.
 */
public final class VariableRows {
    /** Column names of SHOW VARIABLES / SHOW STATUS. */
    public static final List<String> SHOW_COLUMNS = List.of("Variable_name", "Value");

    private VariableRows() {}

    /** The merged rows of a SHOW: master rows minus the names the proxy owns, plus the proxy's rows {@code like} selects. */
    public static List<List<String>> merge(
            final List<List<String>> masterRows, final Map<String, String> proxyRows, final LikePattern like) {
        final List<List<String>> out = new ArrayList<>();
        for (final List<String> row : masterRows) {
            if (!StatusRows.owns(row.get(0))) {
                out.add(row);
            }
        }
        proxyRows.forEach((name, value) -> {
            if (like.matches(name)) {
                out.add(List.of(name, value));
            }
        });
        out.sort(Comparator.comparing(row -> row.get(0).toLowerCase(Locale.ROOT)));
        return out;
    }

    /**
     * The single row of {@code SELECT @@global.x, ...}.
     *
     * @throws UnknownVariableException if a name is not one of the proxy's variables
     */
    public static List<String> select(final List<String> names, final Map<String, String> variables) {
        final List<String> row = new ArrayList<>(names.size());
        for (final String name : names) {
            final String value = variables.get(name);
            if (value == null) {
                throw new UnknownVariableException(name);
            }
            row.add(value);
        }
        return row;
    }

    /** A variable the proxy does not know (answered with ER_UNKNOWN_SYSTEM_VARIABLE, 1193). */
    public static final class UnknownVariableException extends RuntimeException {
        public static final int ER_UNKNOWN_SYSTEM_VARIABLE = 1193;

        public UnknownVariableException(final String name) {
            super("Unknown system variable '" + name + "'");
        }
    }
}
