package org.semisync.proxy.config;

import java.net.InetSocketAddress;

/** A host and TCP port as given on the command line ({@code HOST:PORT}, {@code [v6]:PORT}). */
public record HostPort(String host, int port) {
    public HostPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
    }

    /**
     * Parses {@code HOST:PORT}; {@code defaultPort} applies when the port is missing.
     *
     * @throws IllegalArgumentException with a message naming the bad value
     */
    public static HostPort parse(final String text, final int defaultPort) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected HOST:PORT, got nothing");
        }
        final String s = text.trim();
        String host = s;
        String port = null;
        if (s.startsWith("[")) {
            final int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("expected [IPv6]:PORT, got '" + text + "'");
            }
            host = s.substring(1, close);
            if (s.length() > close + 1) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("expected [IPv6]:PORT, got '" + text + "'");
                }
                port = s.substring(close + 2);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        if (port == null) {
            return new HostPort(host, defaultPort);
        }
        try {
            return new HostPort(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + port + "' in '" + text + "' is not a port number");
        }
    }

    /** An unresolved socket address for Netty to resolve off the caller's thread. */
    public InetSocketAddress toUnresolvedAddress() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
