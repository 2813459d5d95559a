package org.semisync.proxy.cli;

import org.semisync.ack.SemiSyncVariables;
import org.semisync.ack.WaitPoint;
import picocli.CommandLine;

/** {@code after_commit} / {@code after_sync}, as the plugin's variable takes them. */
final class WaitPointConverter implements CommandLine.ITypeConverter<WaitPoint> {
    @Override
    public WaitPoint convert(final String value) {
        try {
            return SemiSyncVariables.parseWaitPoint(SemiSyncVariables.WAIT_POINT, value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not AFTER_COMMIT or AFTER_SYNC");
        }
    }
}
