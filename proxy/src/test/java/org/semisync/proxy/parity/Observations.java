package org.semisync.proxy.parity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The ordered, named observations of one scenario on one endpoint. */
final class Observations {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();

    /** Records {@code value} under {@code name}; a name is recorded once per run. */
    void put(final String name, final String value) {
        if (values.containsKey(name)) {
            throw new IllegalStateException("observation recorded twice: " + name);
        }
        values.put(name, value);
    }

    /** A diagnostic note (e.g. the milliseconds behind a duration class): written to the report, never compared. */
    void note(final String name, final String value) {
        notes.merge(name, value, (a, b) -> a + "; " + b);
    }

    Map<String, String> asMap() {
        return values;
    }

    /** One {@code name: value} per line (multi-line values indented), for the report files. */
    String render() {
        final StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(k).append(": ").append(indent(v)).append('\n'));
        if (!notes.isEmpty()) {
            b.append("\n(notes, not compared)\n");
            notes.forEach(
                    (k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
        }
        return b.toString();
    }

    /** The names whose values differ (or exist on one side only), in order. */
    static List<String> differences(final Observations a, final Observations b) {
        final Set<String> names = new LinkedHashSet<>(a.values.keySet());
        names.addAll(b.values.keySet());
        final List<String> diff = new ArrayList<>();
        for (String n : names) {
            if (!Objects.equals(a.values.get(n), b.values.get(n))) {
                diff.add(n);
            }
        }
        return diff;
    }

    /** A readable diff: every name, {@code =} when equal, {@code ≠} with both values when not. */
    static String diff(final String nameA, final Observations a, final String nameB, final Observations b) {
        final Set<String> names = new LinkedHashSet<>(a.values.keySet());
        names.addAll(b.values.keySet());
        final StringBuilder out = new StringBuilder();
        for (String n : names) {
            final String va = a.values.get(n);
            final String vb = b.values.get(n);
            if (Objects.equals(va, vb)) {
                out.append("  = ").append(n).append(": ").append(indent(va)).append('\n');
            } else {
                out.append("  ≠ ").append(n).append('\n');
                out.append("      ")
                        .append(nameA)
                        .append(": ")
                        .append(indent(missing(va)))
                        .append('\n');
                out.append("      ")
                        .append(nameB)
                        .append(": ")
                        .append(indent(missing(vb)))
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static String missing(final String v) {
        return v == null ? "(not recorded)" : v;
    }

    private static String indent(final String v) {
        return v == null ? "null" : v.replace("\n", "\n        ");
    }
}
