package org.semisync.proxy.net;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;

/**
 * The socket transport: io_uring, epoll or NIO. Chosen with {@code -Dsemisync.transport=io_uring|epoll|nio}; by
 * default epoll, else NIO (io_uring measured no faster for the relay on this project's machines). Client sessions,
 * their master connections and the binlog tail use the same one, so they can share an event loop.
 */
public record Transport(
        String name,
        IoHandlerFactory ioHandlerFactory,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends SocketChannel> socketChannel) {

    public static Transport select() {
        final String wanted = System.getProperty("semisync.transport", "auto").toLowerCase(Locale.ROOT);
        return switch (wanted) {
            case "io_uring" -> ioUring();
            case "epoll" -> epoll();
            case "nio" -> nio();
            case "auto" -> Epoll.isAvailable() ? epoll() : nio();
            default ->
                throw new IllegalArgumentException(
                        "semisync.transport must be io_uring, epoll, nio or auto, not '" + wanted + "'");
        };
    }

    private static Transport ioUring() {
        IoUring.ensureAvailability();
        return new Transport(
                "io_uring",
                IoUringIoHandler.newFactory(),
                IoUringServerSocketChannel.class,
                IoUringSocketChannel.class);
    }

    private static Transport epoll() {
        Epoll.ensureAvailability();
        return new Transport(
                "epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
    }

    private static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }
}
