package org.semisync.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP relay on a free 127.0.0.1 port in front of {@code 127.0.0.1:targetPort} that delays every byte from the
 * target (the proxy) to the connecting side (a replica) by a fixed time and passes bytes the other way at once: a
 * replica at some distance from the site of the master and the proxy, whose ACKs come straight back. {@link #cut()}
 * is that site dying: the bytes still on their way are dropped, every connection ends, nothing more is accepted.
 * Blocking sockets, three threads per connection (one reads each side, one writes the delayed bytes when due).
 */
public final class DelayingLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DelayingLink.class);

    /** Bytes read from the target and the time they may be written to the replica. */
    private record Chunk(long dueNanos, byte[] bytes) {}

    private static final Chunk END = new Chunk(0, new byte[0]);

    private final ServerSocket server;
    private final int targetPort;
    private final long delayNanos;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<LinkedBlockingQueue<Chunk>> queues = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    private DelayingLink(final ServerSocket server, final int targetPort, final long delayNanos) {
        this.server = server;
        this.targetPort = targetPort;
        this.delayNanos = delayNanos;
    }

    /** Starts accepting on a free 127.0.0.1 port. */
    public static DelayingLink start(final int targetPort, final long delayMillis) throws IOException {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final DelayingLink link = new DelayingLink(server, targetPort, TimeUnit.MILLISECONDS.toNanos(delayMillis));
        daemon("link-accept-" + server.getLocalPort(), link::acceptLoop).start();
        return link;
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!cut) {
            final Socket replica;
            try {
                replica = server.accept();
            } catch (IOException e) {
                if (!cut) {
                    LOG.warn("link - accept on {} failed: {}", port(), e.toString());
                }
                return;
            }
            try {
                connect(replica);
            } catch (IOException e) {
                // the target is not there (yet, or any more): the replica sees its connection end and retries
                LOG.info("link - cannot reach 127.0.0.1:{}: {}", targetPort, e.toString());
                closeQuietly(replica);
            }
        }
    }

    private void connect(final Socket replica) throws IOException {
        final Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        target.setTcpNoDelay(true);
        replica.setTcpNoDelay(true);
        sockets.add(replica);
        sockets.add(target);
        final LinkedBlockingQueue<Chunk> delayed = new LinkedBlockingQueue<>();
        queues.add(delayed);
        if (cut) {
            close(replica, target);
            return;
        }
        final String name = "link-" + replica.getPort();
        daemon(name + "-ack", () -> copyAtOnce(replica, target)).start();
        daemon(name + "-read", () -> readDelayed(target, replica, delayed)).start();
        daemon(name + "-write", () -> writeWhenDue(delayed, replica, target)).start();
    }

    /** Replica → target, unchanged and at once. */
    private void copyAtOnce(final Socket from, final Socket to) {
        final byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            final OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0 && !cut; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            logEnd("replica side", e);
        }
        close(from, to);
    }

    /** Target → queue, each chunk stamped with the time it may leave. */
    private void readDelayed(final Socket target, final Socket replica, final LinkedBlockingQueue<Chunk> delayed) {
        final byte[] buffer = new byte[64 * 1024];
        try (InputStream in = target.getInputStream()) {
            for (int n = in.read(buffer); n >= 0 && !cut; n = in.read(buffer)) {
                delayed.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
            }
        } catch (IOException e) {
            logEnd("target side", e);
        }
        // the target closed: what it sent before still arrives, late, unless the link is cut meanwhile
        delayed.add(END);
    }

    /** Queue → replica, each chunk once its time has come, in order. */
    private void writeWhenDue(final LinkedBlockingQueue<Chunk> delayed, final Socket replica, final Socket target) {
        try {
            final OutputStream out = replica.getOutputStream();
            for (Chunk c = delayed.take(); c != END && !cut; c = delayed.take()) {
                final long wait = c.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (cut) {
                    break;
                }
                out.write(c.bytes());
                out.flush();
            }
        } catch (IOException e) {
            logEnd("replica side", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close(replica, target);
    }

    /**
     * The site is lost: drops every byte still waiting for its time, ends every connection with a reset (nothing
     * buffered is flushed on the way out) and accepts nothing more.
     */
    public void cut() {
        cut = true;
        for (LinkedBlockingQueue<Chunk> q : queues) {
            q.clear();
            q.add(END);
        }
        closeQuietly(server);
        for (Socket s : sockets) {
            try {
                s.setSoLinger(true, 0);
            } catch (SocketException e) {
                // already closed: nothing left to reset
            }
            closeQuietly(s);
        }
    }

    @Override
    public void close() {
        cut();
    }

    private void logEnd(final String side, final IOException e) {
        if (!cut) {
            LOG.debug("link - {} of a connection on {} ended: {}", side, port(), e.toString());
        }
    }

    private static void close(final Socket a, final Socket b) {
        closeQuietly(a);
        closeQuietly(b);
    }

    private static void closeQuietly(final AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("link - closing {}: {}", c, e.toString());
        }
    }

    private static Thread daemon(final String name, final Runnable body) {
        final Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
