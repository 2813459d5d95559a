package org.semisync.proxy.protocol;

/** A packet that does not follow the protocol. The connection it came from cannot be trusted any more. */
public class MalformedPacketException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedPacketException(final String message) {
        super(message);
    }
}
