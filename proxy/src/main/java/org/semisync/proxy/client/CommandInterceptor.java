package org.semisync.proxy.client;

import org.semisync.proxy.protocol.Packet;

/**
 * Sees every client command after authentication, on the session's event loop. It may let the command through, answer
 * it itself, or take the connection over (see {@link CommandContext#takeOver()}). One instance per client connection.
 */
public interface CommandInterceptor {
    /**
     * A command packet (sequence id 0) from the client. Return true if the interceptor handled it and the session must
     * not relay it. The session releases {@code command} afterwards; retain it to keep it.
     */
    boolean onCommand(Packet command, CommandContext context);

    /** Creates one interceptor per client connection. */
    interface Factory {
        CommandInterceptor create();
    }
}
