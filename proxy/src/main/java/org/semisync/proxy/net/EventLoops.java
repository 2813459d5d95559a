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
     * One loop per core by default ({@code -Dsemisync.eventLoops}). A loop runs its ready sockets one after the other
     * and only then its tasks (ring drains to the replicas, commit releases), so with one loop for everything a
     * commit's round trip to the replicas waits behind every client packet read in the same wake-up: at 32 and 64
     * sysbench threads on 2 cores one loop left the machine idle more often and ran 9-22 % fewer transactions than
     * two; at 1 and 8 threads it spent 9-24 % less CPU per transaction and ran 2-8 % more (README, Event loops).
     */
    public static EventLoops create() {
        final Transport transport = Transport.select();
        final int threads =
                Integer.getInteger("semisync.eventLoops", Runtime.getRuntime().availableProcessors());
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
