package org.semisync.proxy.upstream;

import java.io.IOException;
import org.semisync.proxy.protocol.ErrPacket;

/** The master answered with an ERR that a later attempt may not get (too many connections, shutting down, ...). */
public final class MasterErrorException extends RuntimeException {
    private final transient ErrPacket err;

    MasterErrorException(final String message, final ErrPacket err) {
        super(message, new IOException("#" + err.errorCode() + " " + err.message()));
        this.err = err;
    }

    /** The master's error code. */
    public int errorCode() {
        return err.errorCode();
    }
}
