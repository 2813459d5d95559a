package org.semisync.proxy.testing;

import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.semisync.proxy.demo.EmbeddedMariaDb;
import org.semisync.proxy.demo.MariaDbVersion;

/**
 * Masters shared by the whole test run: one per version, started on first use, stopped when the run ends (a
 * resource in JUnit's root store). Tests get a fresh database each via {@link #freshDatabase}. Register with
 * {@code @ExtendWith(SharedServers.class)}.
 */
public final class SharedServers implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
    private static final Map<MariaDbVersion, EmbeddedMariaDb> MASTERS = new EnumMap<>(MariaDbVersion.class);

    @Override
    public void beforeAll(final ExtensionContext context) {
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedServers.class, k -> new SharedServers(), SharedServers.class);
    }

    /** The shared master of {@code version}, started if needed. */
    public static synchronized EmbeddedMariaDb master(final MariaDbVersion version) {
        final EmbeddedMariaDb master = MASTERS.computeIfAbsent(
                version,
                v -> EmbeddedMariaDb.builder(v)
                        .name("master-" + v.version())
                        .serverId(1)
                        .tls() // the proxy's TLS to the master runs against these (11.4.5 offers it)
                        .build());
        return master.start();
    }

    /** Creates a database with a unique name on {@code server} and returns its name. */
    public static String freshDatabase(final EmbeddedMariaDb server) {
        final String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        server.execute("CREATE DATABASE " + name);
        return name;
    }

    @Override
    public void close() {
        synchronized (SharedServers.class) {
            MASTERS.values().forEach(EmbeddedMariaDb::close);
            MASTERS.clear();
        }
    }
}
