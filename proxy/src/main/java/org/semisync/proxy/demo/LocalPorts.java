package org.semisync.proxy.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free TCP ports on 127.0.0.1, for the servers and proxies the demo and the tests start. */
public final class LocalPorts {
    private LocalPorts() {}

    /** A port nothing listens on right now (another process may still take it before the caller binds it). */
    public static int free() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
