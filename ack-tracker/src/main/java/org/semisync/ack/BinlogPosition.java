package org.semisync.ack;

import java.util.Objects;

/**
 * A position in the master's binary log: file name and byte offset. Ordered the way the server orders them across
 * rotations: by base name, then by the file's sequence number as a number (so {@code mysql-bin.999999} is before
 * {@code mysql-bin.1000000}), then by offset. An ACK for {@code (file, offset)} covers every transaction that ends at
 * or before it.
 */
public record BinlogPosition(String file, long offset) implements Comparable<BinlogPosition> {
    public BinlogPosition {
        Objects.requireNonNull(file, "file");
        if (file.isEmpty() || file.indexOf('/') >= 0 || file.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a binlog file name: '" + file + "'");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("negative binlog offset " + offset + " in " + file);
        }
    }

    /**
     * Parses {@code file:offset}, e.g. {@code mysql-bin.000010:1234}.
     *
     * @throws IllegalArgumentException naming the text when it is not of that form
     */
    public static BinlogPosition parse(final String text) {
        final int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected FILE:OFFSET, got '" + text + "'");
        }
        try {
            return new BinlogPosition(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("offset in '" + text + "' is not a number");
        }
    }

    @Override
    public int compareTo(final BinlogPosition other) {
        final int byFile = compareFiles(file, other.file);
        return byFile != 0 ? byFile : Long.compare(offset, other.offset);
    }

    /** Orders binlog file names: base name, then numeric extension; plain string order when there is none. */
    static int compareFiles(final String a, final String b) {
        if (a.equals(b)) {
            return 0;
        }
        final int dotA = a.lastIndexOf('.');
        final int dotB = b.lastIndexOf('.');
        if (dotA > 0 && dotB > 0 && isDigits(a, dotA + 1) && isDigits(b, dotB + 1)) {
            final int byBase = a.substring(0, dotA).compareTo(b.substring(0, dotB));
            if (byBase != 0) {
                return byBase;
            }
            final String na = stripZeros(a.substring(dotA + 1));
            final String nb = stripZeros(b.substring(dotB + 1));
            return na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
        }
        return a.compareTo(b);
    }

    private static boolean isDigits(final String s, final int from) {
        if (from >= s.length()) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String stripZeros(final String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    /** The later of two positions ({@code null} counts as "none"). */
    public static BinlogPosition max(final BinlogPosition a, final BinlogPosition b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Whether this position is at or past {@code other}. */
    public boolean covers(final BinlogPosition other) {
        return compareTo(other) >= 0;
    }

    @Override
    public String toString() {
        return file + ":" + offset;
    }
}
