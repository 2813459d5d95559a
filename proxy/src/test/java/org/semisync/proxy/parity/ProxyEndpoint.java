package org.semisync.proxy.parity;

import java.util.List;
import java.util.Set;
import org.semisync.ack.SemiSyncSettings;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.Replicas;
import org.semisync.proxy.testing.ProxyUnderTest;

/**
 * Side B: an 11.4.5 master with its semi-sync plugin off, the in-process proxy in front of it
 * ({@link ProxyUnderTest#withTracker}, the suite's timeout), and two 11.4.5 semi-sync replicas replicating through
 * the proxy in GTID mode. With {@code relay = true} the proxy is a plain relay ({@link ProxyUnderTest#start}): the
 * control that every scenario must fail against.
 */
final class ProxyEndpoint implements ParityEndpoint {
    /** The proxy's documented extra rows, dropped from its answers before comparing. */
    static final Set<String> EXTRAS = Set.of(
            "rpl_semi_sync_master_enforced",
            "rpl_semi_sync_master_wait_for_slave_count",
            "rpl_semi_sync_master_position_probes");

    private final EmbeddedMariaDb master;
    private final List<EmbeddedMariaDb> replicas;
    private final long timeoutMillis;
    private final boolean relay;
    private ProxyUnderTest proxy;

    private ProxyEndpoint(
            final EmbeddedMariaDb master,
            final List<EmbeddedMariaDb> replicas,
            final long timeoutMillis,
            final boolean relay) {
        this.master = master;
        this.replicas = replicas;
        this.timeoutMillis = timeoutMillis;
        this.relay = relay;
    }

    static ProxyEndpoint start(final long timeoutMillis, final boolean relay) {
        final EmbeddedMariaDb master = Servers.master("parity-proxy-master", false, timeoutMillis);
        final EmbeddedMariaDb r1 = Servers.replica("parity-proxy-replica1", 2);
        final EmbeddedMariaDb r2 = Servers.replica("parity-proxy-replica2", 3);
        final ProxyEndpoint ep = new ProxyEndpoint(master, List.of(r1, r2), timeoutMillis, relay);
        ep.startProxy(ep.master.queryString("SELECT @@gtid_binlog_pos"));
        return ep;
    }

    private void startProxy(final String gtidStart) {
        proxy = relay
                ? ProxyUnderTest.start(master.port())
                : ProxyUnderTest.withTracker(master.port(), SemiSyncSettings.DEFAULTS.withTimeoutMillis(timeoutMillis));
        for (EmbeddedMariaDb r : replicas) {
            Replicas.pointAt(r, "127.0.0.1", proxy.port(), Replicas.Mode.GTID, gtidStart);
        }
    }

    /** The proxy now in front of the master (a new one after {@link #afterMasterRestart} had to rebuild it). */
    ProxyUnderTest proxy() {
        return proxy;
    }

    @Override
    public String name() {
        return relay ? "relay" : "proxy";
    }

    @Override
    public int port() {
        return proxy.port();
    }

    @Override
    public EmbeddedMariaDb master() {
        return master;
    }

    @Override
    public List<EmbeddedMariaDb> replicas() {
        return replicas;
    }

    /**
     * Side B's master keeps its own (built-in, disabled) semi-sync variables at their defaults, set directly on it: a
     * SET form the proxy does not recognise reaches the master and changes them (e.g.
     * {@code SET GLOBAL rpl_semi_sync_master_timeout = -1}), and what one scenario leaked must not show in the next.
     * For the relay, whose master receives the baseline's SETs, this is what keeps its plugin off.
     */
    @Override
    public void afterBaselineSets() {
        master.execute(
                "SET GLOBAL rpl_semi_sync_master_enabled = OFF",
                "SET GLOBAL rpl_semi_sync_master_timeout = DEFAULT",
                "SET GLOBAL rpl_semi_sync_master_wait_no_slave = DEFAULT",
                "SET GLOBAL rpl_semi_sync_master_trace_level = DEFAULT",
                "SET GLOBAL rpl_semi_sync_master_wait_point = DEFAULT");
    }

    @Override
    public void afterScenario(final Observations observations) {
        if (master.isRunning() && !"0".equals(master.queryString("SELECT @@global.rpl_semi_sync_master_enabled"))) {
            observations.put("the master's own plugin", "switched on through the endpoint");
            master.execute("SET GLOBAL rpl_semi_sync_master_enabled = OFF");
        }
    }

    @Override
    public long baselineWaitMillis() {
        return relay ? 3000 : ParityEndpoint.super.baselineWaitMillis();
    }

    @Override
    public Set<String> extraNames() {
        return relay ? Set.of() : EXTRAS;
    }

    /**
     * After a master restart the proxy's binlog tail reconnects by itself; if the replicas are still not back as
     * semi-sync clients (the scenario recorded whether they came back), the proxy is replaced by a new one so the
     * following scenarios start from the baseline. Infrastructure, not an observation.
     */
    @Override
    public void afterMasterRestart() {
        if (relay || proxy.tracker().status().clients() == replicas.size()) {
            return;
        }
        proxy.close();
        startProxy(null);
    }

    @Override
    public void close() {
        if (proxy != null) {
            proxy.close();
        }
        replicas.forEach(EmbeddedMariaDb::close);
        master.close();
    }
}
