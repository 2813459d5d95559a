package org.semisync.proxy.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.semisync.proxy.client.FrontendServer;
import org.semisync.proxy.client.SessionCounters;
import org.semisync.proxy.config.HostPort;
import org.semisync.proxy.config.ProxyConfig;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;
import org.semisync.proxy.tls.TlsContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code semisync-proxy demo}: an embedded master (downloaded and unpacked on first run) with the proxy in front,
 * ready for JDBC, the mariadb CLI and sysbench. Ctrl-C stops everything and removes the data directory.
 *
 * <p>Today the demo runs the transparent proxy only: replicas through the proxy and held commits arrive with the
 * binlog relay and the commit gate (see the README's status section).
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Start an embedded MariaDB master with the proxy in front of it (first run downloads it).")
final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--master-version",
            paramLabel = "V",
            defaultValue = "10.2.11",
            description = "Embedded master: 10.1.23, 10.2.11 or 11.4.5 (default ${DEFAULT-VALUE}).")
    String masterVersion;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:3307",
            description = "Where the proxy listens (default ${DEFAULT-VALUE}).")
    String listen;

    @Option(
            names = "--replicas",
            paramLabel = "N",
            defaultValue = "2",
            description = "Replicas through the proxy (not available yet: the binlog relay is being built).")
    int replicas;

    @Override
    public Integer call() throws Exception {
        final PrintStream out = System.out;
        final MariaDbVersion version = MariaDbVersion.of(masterVersion);
        final HostPort listenAt = HostPort.parse(listen, 3307);
        out.println("semisync-proxy demo: starting an embedded " + version + " master (first run downloads it)...");
        final EmbeddedMariaDb master = EmbeddedMariaDb.builder(version)
                .name("demo-master")
                .serverId(1)
                .progress(line -> out.println("  " + line))
                .build();
        final CountDownLatch stop = new CountDownLatch(1);
        final FrontendServer[] proxy = new FrontendServer[1];
        final Thread shutdown = new Thread(
                () -> {
                    out.println("semisync-proxy demo: stopping");
                    if (proxy[0] != null) {
                        proxy[0].close();
                    }
                    master.close();
                    stop.countDown();
                },
                "semisync-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        master.start();
        final ProxyConfig config = ProxyConfig.builder()
                .master(new HostPort("127.0.0.1", master.port()))
                .listen(listenAt)
                .replicationUser(EmbeddedMariaDb.REPL_USER)
                .replicationPassword(EmbeddedMariaDb.REPL_PASSWORD)
                .build();
        proxy[0] = FrontendServer.start(config, TlsContexts.create(config));
        final int port = proxy[0].localAddress().getPort();
        final String host = listenAt.host();
        out.println();
        out.println(
                "  master    " + version + " on 127.0.0.1:" + master.port() + " (data in " + master.baseDir() + ")");
        out.println("  proxy     " + host + ":" + port);
        out.println("  JDBC      jdbc:mariadb://" + host + ":" + port + "/app?user=app&password=app_pass");
        out.println("  CLI       mariadb -h" + host + " -P" + port + " -uapp -papp_pass --skip-ssl app");
        out.println("  sysbench  sysbench oltp_read_write --mysql-host=" + host + " --mysql-port=" + port
                + " --mysql-user=app --mysql-password=app_pass --mysql-db=app --tables=4 --table-size=10000"
                + " --threads=8 --time=30 prepare   # then: run");
        if (replicas > 0) {
            out.println("  replicas  " + replicas + " requested: not started yet — replication through the proxy"
                    + " (binlog relay) and held commits are being built; this demo relays clients only");
        }
        out.println("ready: listening on " + host + ":" + port + "   (Ctrl-C stops everything)");
        out.flush();
        final SessionCounters counters = proxy[0].counters();
        while (!stop.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
            out.printf(
                    "  status: %d client connections open, %d accepted, %d authenticated, %d over TLS%n",
                    counters.open(), counters.accepted(), counters.authenticated(), counters.tls());
        }
        return 0;
    }
}
