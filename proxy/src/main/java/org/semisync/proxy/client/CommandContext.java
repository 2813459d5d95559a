package org.semisync.proxy.client;

import io.netty.channel.Channel;
import org.semisync.proxy.protocol.Packet;

/** What a {@link CommandInterceptor} may do with the client connection and its master connection. */
public interface CommandContext {
    /** The client's channel. */
    Channel client();

    /** Capability flags the client announced. */
    long clientCapabilities();

    /** The connection id the master gave this connection (a KILL names it). */
    long masterConnectionId();

    /** Sends {@code packet} to the master as if the client had sent it. */
    void forward(Packet packet);

    /**
     * Stops relaying: the session leaves the client pipeline, the caller owns the client channel from now on. The master
     * connection stays open and idle; when it closes (e.g. a KILL naming it) the client connection is closed too.
     */
    void takeOver();
}
