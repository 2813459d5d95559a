package org.semisync.proxy.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import org.semisync.proxy.config.ProxyConfig;
import org.semisync.proxy.net.Transport;
import org.semisync.proxy.protocol.PacketDecoder;
import org.semisync.proxy.protocol.PacketEncoder;

/** Opens a client's connection to the master on the client's own event loop (so the session needs no locks). */
final class MasterConnection {
    private MasterConnection() {}

    /** Connects; reading starts only when the session asks (AUTO_READ off until the login is done). */
    static ChannelFuture open(
            final Channel client, final Transport transport, final ProxyConfig config, final BackendHandler handler) {
        return new Bootstrap()
                .group(client.eventLoop())
                .channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        config.connectTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(final Channel ch) {
                        ch.pipeline().addLast(new PacketDecoder(), PacketEncoder.INSTANCE, handler);
                    }
                })
                .connect(config.master().host(), config.master().port());
    }
}
