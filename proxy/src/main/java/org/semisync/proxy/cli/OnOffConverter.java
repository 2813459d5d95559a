package org.semisync.proxy.cli;

import java.util.Locale;
import picocli.CommandLine;

/** MySQL-style booleans: on/off, true/false, 1/0, yes/no. */
final class OnOffConverter implements CommandLine.ITypeConverter<Boolean> {
    @Override
    public Boolean convert(final String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "1", "yes" -> Boolean.TRUE;
            case "off", "false", "0", "no" -> Boolean.FALSE;
            default -> throw new CommandLine.TypeConversionException("'" + value + "' is not on/off");
        };
    }
}
