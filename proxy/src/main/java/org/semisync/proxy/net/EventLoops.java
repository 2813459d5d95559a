package org.semisync.proxy.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's event loops and their transport, shared by client sessions, their master connections and the binlog
 * tail, so that an event read from the master, the replicas' writes it causes and the commits their ACKs release can
 * all run on one thread without a hand-off.
 */
public final class EventLoops implements AutoCloseable {
    private final Transport transport;
    private final EventLoopGroup group;

    private EventLoops(final Transport transport, final EventLoopGroup group) {
        this.transport = transport;
        this.group = group;
    }

    /**
     * Half the cores by default ({@code -Dsemisync.eventLoops}): the proxy usually shares the machine with the master
     * or the application, and fewer loops batch more ready sockets per epoll wake-up (see perf/results/passthrough).
     */
    public static EventLoops create() {
        final Transport transport = Transport.select();
        final int threads = Integer.getInteger(
                "semisync.eventLoops", Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        return new EventLoops(transport, new MultiThreadIoEventLoopGroup(threads, transport.ioHandlerFactory()));
    }

    public Transport transport() {
        return transport;
    }

    public EventLoopGroup group() {
        return group;
    }

    /** Number of event loops. */
    public int size() {
        int n = 0;
        for (var ignored : group) {
            n++;
        }
        return n;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
