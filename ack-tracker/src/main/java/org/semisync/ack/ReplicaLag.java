package org.semisync.ack;

/**
 * How far an acknowledged position is behind the newest committed one. Binlog file sizes are not known here, so the
 * distance in bytes exists only within one file; across files it is counted in files.
 */
public final class ReplicaLag {
    private ReplicaLag() {}

    /** Bytes from {@code acked} to {@code newest} in the same file, 0 when at or past it, NaN when not comparable. */
    public static double bytesBehind(final BinlogPosition acked, final BinlogPosition newest) {
        if (acked == null || newest == null) {
            return Double.NaN;
        }
        if (acked.covers(newest)) {
            return 0;
        }
        return acked.file().equals(newest.file()) ? newest.offset() - acked.offset() : Double.NaN;
    }

    /** Binlog files from {@code acked} to {@code newest} (0 in the same file or past it), NaN when not comparable. */
    public static double filesBehind(final BinlogPosition acked, final BinlogPosition newest) {
        if (acked == null || newest == null) {
            return Double.NaN;
        }
        if (acked.covers(newest)) {
            return 0;
        }
        return fileIndex(newest) - fileIndex(acked);
    }

    /** The numeric extension of a binlog file name ({@code mysql-bin.000042} → 42), NaN when there is none. */
    public static double fileIndex(final BinlogPosition position) {
        if (position == null) {
            return Double.NaN;
        }
        final String file = position.file();
        final int dot = file.lastIndexOf('.');
        if (dot < 0 || dot == file.length() - 1) {
            return Double.NaN;
        }
        for (int i = dot + 1; i < file.length(); i++) {
            if (!Character.isDigit(file.charAt(i))) {
                return Double.NaN;
            }
        }
        return Double.parseDouble(file.substring(dot + 1));
    }
}
