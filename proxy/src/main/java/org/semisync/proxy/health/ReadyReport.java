package org.semisync.proxy.health;

/**
 * What {@code GET /ready} answers, as a small JSON object.
 *
 * @param ready whether the master is reachable and the proxy accepts clients
 * @param masterReachable the master answered a TCP connect, or the binlog tail is streaming
 * @param acceptingClients the proxy's listening socket is open and the process is not shutting down
 * @param semiSyncOn {@code Rpl_semi_sync_master_status}
 * @param replicas connected semi-sync replicas
 * @param tail the binlog tail's position {@code file:pos}, or null without a tail
 * @param lagBytes bytes the quorum's acknowledged position is behind the newest commit, or null when not known
 */
public record ReadyReport(
        boolean ready,
        boolean masterReachable,
        boolean acceptingClients,
        boolean semiSyncOn,
        int replicas,
        String tail,
        Long lagBytes) {

    /** {@code {"status":"ready|not-ready","semi_sync":"ON|OFF","replicas":N,"tail":"file:pos","lag_bytes":N,...}}. */
    public String json() {
        return "{\"status\":\"" + (ready ? "ready" : "not-ready") + "\""
                + ",\"semi_sync\":\"" + (semiSyncOn ? "ON" : "OFF") + "\""
                + ",\"replicas\":" + replicas
                + ",\"tail\":" + (tail == null ? "null" : "\"" + escape(tail) + "\"")
                + ",\"lag_bytes\":" + (lagBytes == null ? "null" : lagBytes.toString())
                + ",\"master_reachable\":" + masterReachable
                + ",\"accepting_clients\":" + acceptingClients
                + "}";
    }

    private static String escape(final String text) {
        final StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
