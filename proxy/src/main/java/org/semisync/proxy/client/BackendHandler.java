package org.semisync.proxy.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.semisync.proxy.protocol.Packet;

/**
 * The master side of a {@link ClientSession}: hands every packet, read completion, writability change and the end of
 * the connection to the session. Runs on the client's event loop, so the session needs no locks.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
    private final ClientSession session;

    BackendHandler(final ClientSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        session.fromBackend((Packet) msg);
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx) {
        session.backendReadComplete();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx) {
        session.backendWritabilityChanged();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        session.backendClosed(null);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        session.backendClosed(cause);
    }
}
