package org.semisync.proxy.parity;

import java.util.List;
import java.util.Set;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.Replicas;

/**
 * Side A: an 11.4.5 master with its built-in semi-sync master on ({@code rpl_semi_sync_master_enabled=ON}, the
 * suite's timeout) and two 11.4.5 semi-sync replicas replicating directly from it in GTID mode.
 */
final class NativeEndpoint implements ParityEndpoint {
    private final EmbeddedMariaDb master;
    private final List<EmbeddedMariaDb> replicas;

    private NativeEndpoint(final EmbeddedMariaDb master, final List<EmbeddedMariaDb> replicas) {
        this.master = master;
        this.replicas = replicas;
    }

    static NativeEndpoint start(final long timeoutMillis) {
        final EmbeddedMariaDb master = Servers.master("parity-plugin-master", true, timeoutMillis);
        final EmbeddedMariaDb r1 = Servers.replica("parity-plugin-replica1", 2);
        final EmbeddedMariaDb r2 = Servers.replica("parity-plugin-replica2", 3);
        final List<EmbeddedMariaDb> replicas = List.of(r1, r2);
        final String start = master.queryString("SELECT @@gtid_binlog_pos");
        for (EmbeddedMariaDb r : replicas) {
            Replicas.pointAt(r, "127.0.0.1", master.port(), Replicas.Mode.GTID, start);
        }
        return new NativeEndpoint(master, replicas);
    }

    @Override
    public String name() {
        return "plugin";
    }

    @Override
    public int port() {
        return master.port();
    }

    @Override
    public EmbeddedMariaDb master() {
        return master;
    }

    @Override
    public List<EmbeddedMariaDb> replicas() {
        return replicas;
    }

    @Override
    public Set<String> extraNames() {
        return Set.of();
    }

    @Override
    public void afterMasterRestart() {
        // the replicas reconnect by themselves (MASTER_CONNECT_RETRY=1)
    }

    @Override
    public void close() {
        replicas.forEach(EmbeddedMariaDb::close);
        master.close();
    }
}
