package org.semisync.proxy.cli;

import java.util.Locale;
import picocli.CommandLine;

/** A byte count: digits with an optional K, M or G suffix (powers of 1024), e.g. {@code 65536}, {@code 512K}, {@code 64M}. */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(final String value) {
        final String v = value.trim().toUpperCase(Locale.ROOT);
        final int shift;
        final String digits;
        if (v.endsWith("K") || v.endsWith("M") || v.endsWith("G")) {
            shift = switch (v.charAt(v.length() - 1)) {
                case 'K' -> 10;
                case 'M' -> 20;
                default -> 30;
            };
            digits = v.substring(0, v.length() - 1);
        } else {
            shift = 0;
            digits = v;
        }
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 12) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a byte count (e.g. 65536, 512K, 64M)");
        }
        return Long.parseLong(digits) << shift;
    }
}
