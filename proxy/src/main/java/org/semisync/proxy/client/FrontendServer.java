package org.semisync.proxy.client;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.semisync.proxy.admin.AdminCommands;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.config.ProxyConfig;
import org.semisync.proxy.net.EventLoops;
import org.semisync.proxy.net.Transport;
import org.semisync.proxy.protocol.PacketDecoder;
import org.semisync.proxy.protocol.PacketEncoder;
import org.semisync.proxy.tls.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's listening socket. Each accepted client gets a {@link ClientSession}, whose master connection lives on
 * the same event loop. Uses epoll when available, NIO otherwise.
 */
public final class FrontendServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrontendServer.class);

    private final EventLoops loops;
    /** Whether {@link #close()} shuts the loops down (they were made for this server alone). */
    private final boolean ownsLoops;

    private final Channel serverChannel;
    private final SessionCounters counters;
    /** Every accepted connection (closed ones leave by themselves). */
    private final ChannelGroup sessions;

    private FrontendServer(
            final EventLoops loops,
            final boolean ownsLoops,
            final Channel serverChannel,
            final SessionCounters counters,
            final ChannelGroup sessions) {
        this.loops = loops;
        this.ownsLoops = ownsLoops;
        this.serverChannel = serverChannel;
        this.counters = counters;
        this.sessions = sessions;
    }

    /**
     * Binds the listen address and starts accepting.
     *
     * @throws IllegalStateException when the address cannot be bound (message names the address and the reason)
     */
    public static FrontendServer start(final ProxyConfig config, final TlsContexts tls) {
        return start(config, tls, SemiSyncServices.NONE);
    }

    /**
     * Binds and starts accepting. With a tracker in {@code services}, commits are held until acknowledged and
     * replicas that dump through the proxy are served with the semi-sync framing.
     *
     * @throws IllegalStateException when the address cannot be bound (message names the address and the reason)
     */
    public static FrontendServer start(
            final ProxyConfig config, final TlsContexts tls, final SemiSyncServices services) {
        return start(config, tls, services, EventLoops.create(), true);
    }

    /**
     * As {@link #start(ProxyConfig, TlsContexts, SemiSyncServices)} on {@code loops}, which the caller closes after
     * this server. A client and its master connection share one event loop, so there is no hand-off.
     */
    public static FrontendServer start(
            final ProxyConfig config, final TlsContexts tls, final SemiSyncServices services, final EventLoops loops) {
        return start(config, tls, services, loops, false);
    }

    private static FrontendServer start(
            final ProxyConfig config,
            final TlsContexts tls,
            final SemiSyncServices services,
            final EventLoops loops,
            final boolean ownsLoops) {
        final Transport transport = loops.transport();
        final SessionCounters counters = new SessionCounters();
        final ChannelGroup sessions = new DefaultChannelGroup("sessions", GlobalEventExecutor.INSTANCE);
        // stateless: one for every session
        final AdminCommands admin =
                services.tracker() == null ? null : new AdminCommands(services.tracker(), services.probes());
        final ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.group())
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(final SocketChannel ch) {
                        sessions.add(ch);
                        ch.pipeline()
                                .addLast("packets", new PacketDecoder())
                                .addLast("encoder", PacketEncoder.INSTANCE)
                                .addLast(
                                        "session",
                                        new ClientSession(config, tls, counters, transport, services, admin));
                    }
                });
        final HostPort listen = config.listen();
        final io.netty.channel.ChannelFuture bound = bootstrap
                .bind(new InetSocketAddress(listen.host(), listen.port()))
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            if (ownsLoops) {
                loops.close();
            }
            throw new IllegalStateException(
                    "cannot listen on " + listen + ": " + bound.cause().getMessage(), bound.cause());
        }
        LOG.info(
                "frontend - listening on {} ({}, {} event loops), master {}",
                listen,
                transport.name(),
                loops.size(),
                config.master());
        return new FrontendServer(loops, ownsLoops, bound.channel(), counters, sessions);
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Whether the listening socket is open (clients can connect). */
    public boolean accepting() {
        return serverChannel.isActive();
    }

    /** Connection counters. */
    public SessionCounters counters() {
        return counters;
    }

    /** Closes the listening socket: no new clients; connected ones are served on. */
    public void stopAccepting() {
        serverChannel.close().syncUninterruptibly();
    }

    /** Closes every client connection that is not a replica's binlog dump; returns how many. */
    public int closeClients() {
        int closed = 0;
        for (final Channel ch : sessions) {
            final ClientSession session = ch.pipeline().get(ClientSession.class);
            if (session == null || !session.replicaDump()) {
                ch.close();
                closed++;
            }
        }
        return closed;
    }

    /** Blocks until the listening socket is closed. */
    public void awaitClose() throws InterruptedException {
        serverChannel.closeFuture().sync();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        sessions.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (ownsLoops) {
            loops.close();
        }
    }
}
