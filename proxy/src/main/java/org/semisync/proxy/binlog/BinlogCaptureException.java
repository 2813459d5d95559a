package org.semisync.proxy.binlog;

/** The upstream binlog could not be captured exactly; relaying past it would lose or corrupt events. */
public final class BinlogCaptureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BinlogCaptureException(final String message) {
        super(message);
    }

    public BinlogCaptureException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
