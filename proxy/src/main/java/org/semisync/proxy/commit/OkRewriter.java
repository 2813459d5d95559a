package org.semisync.proxy.commit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.semisync.proxy.protocol.Capabilities;
import org.semisync.proxy.protocol.OkPacket;
import org.semisync.proxy.protocol.SessionStateChange;

/**
 * Turns an OK framed for the backend (where the proxy added CLIENT_SESSION_TRACK and tracks {@code last_gtid}) into
 * the OK the client negotiated: without CLIENT_SESSION_TRACK the info goes back to a rest-of-packet string and the
 * state block and flag go away; with it, only the entries the client did not ask for ({@code last_gtid} or MySQL's
 * GTIDs when the client does not track them itself) are cut.
 */
public final class OkRewriter {
    private final long backendCapabilities;
    private final long clientCapabilities;

    public OkRewriter(final long backendCapabilities, final long clientCapabilities) {
        this.backendCapabilities = backendCapabilities;
        this.clientCapabilities = clientCapabilities;
    }

    /** Whether the two sides frame OKs identically, so nothing ever needs rewriting. */
    public boolean passThrough() {
        return Capabilities.has(backendCapabilities, Capabilities.CLIENT_SESSION_TRACK)
                == Capabilities.has(clientCapabilities, Capabilities.CLIENT_SESSION_TRACK);
    }

    /** Parses a backend OK payload; the reader index is unchanged. */
    public OkPacket parse(final ByteBuf backendPayload) {
        return OkPacket.parse(backendPayload, backendCapabilities);
    }

    /**
     * The OK the client should see.
     *
     * @param clientTracksGtid whether the client itself asked for last_gtid / session_track_gtids
     */
    public OkPacket forClient(final OkPacket backendOk, final boolean clientTracksGtid) {
        if (!Capabilities.has(clientCapabilities, Capabilities.CLIENT_SESSION_TRACK)) {
            return backendOk.withoutSessionState();
        }
        if (clientTracksGtid) {
            return backendOk;
        }
        return backendOk.retainSessionState(change -> !isGtidEntry(change));
    }

    /** Encodes an OK for the client. */
    public ByteBuf encodeForClient(final ByteBufAllocator alloc, final OkPacket clientOk) {
        return clientOk.encode(alloc, clientCapabilities);
    }

    private static boolean isGtidEntry(final SessionStateChange change) {
        return change.type() == SessionStateChange.GTIDS
                || change.systemVariable()
                        .map(v -> v[0].equalsIgnoreCase(CommitDetector.LAST_GTID))
                        .orElse(false);
    }
}
