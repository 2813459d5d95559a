package org.semisync.proxy.parity;

import java.util.function.Supplier;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.EmbeddedMariaDbBuilder;
import org.semisync.proxy.demo.MariaDbVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting the suite's six servers. {@code mariadb-install-db} bootstraps with {@code /tmp} as its temporary
 * directory, and a server starting at the same moment elsewhere on the machine (another test run) may delete its
 * {@code #sql-temptable-*} files, which fails the install ("Could not remove temporary table … Unknown table
 * 'mysql.tmp_user_…'"). Such a start is retried with a fresh data directory.
 */
final class Servers {
    private static final Logger LOG = LoggerFactory.getLogger(Servers.class);

    private Servers() {}

    /** A started 11.4.5 master; {@code plugin}: with its semi-sync master on and {@code timeoutMillis}. */
    static EmbeddedMariaDb master(final String name, final boolean plugin, final long timeoutMillis) {
        return start(() -> {
            final EmbeddedMariaDbBuilder b = EmbeddedMariaDb.builder(MariaDbVersion.V11_4_5)
                    .name(name)
                    .serverId(1)
                    .tls()
                    .option("performance-schema", "ON");
            if (plugin) {
                b.option("rpl-semi-sync-master-enabled", "ON")
                        .option("rpl-semi-sync-master-timeout", Long.toString(timeoutMillis));
            }
            return b.build();
        });
    }

    /** A started 11.4.5 replica with {@code rpl_semi_sync_slave_enabled=ON}, as SemiSyncTopology makes them. */
    static EmbeddedMariaDb replica(final String name, final int serverId) {
        return start(() -> EmbeddedMariaDb.builder(MariaDbVersion.V11_4_5)
                .name(name)
                .serverId(serverId)
                .tls()
                .option("rpl-semi-sync-slave-enabled", "ON")
                .option("log-slave-updates", null)
                .build());
    }

    static EmbeddedMariaDb start(final Supplier<EmbeddedMariaDb> build) {
        RuntimeException first = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            final EmbeddedMariaDb server = build.get();
            try {
                return server.start();
            } catch (RuntimeException e) {
                LOG.warn(
                        "{} - start attempt {} failed: {}",
                        server.name(),
                        attempt,
                        e.getMessage().lines().findFirst().orElse(""));
                server.close();
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        throw first;
    }
}
