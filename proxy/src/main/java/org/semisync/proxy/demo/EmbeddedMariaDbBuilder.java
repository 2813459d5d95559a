package org.semisync.proxy.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds an {@link EmbeddedMariaDb}: version, name, server id, port, options. */
public final class EmbeddedMariaDbBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDb.class);

    final MariaDbVersion version;
    String name = "mariadb";
    int serverId = 1;
    int port;
    final Map<String, String> options = new LinkedHashMap<>();
    Consumer<String> progress = line -> LOG.info("{}", line);
    boolean fromScratch;
    boolean tls;

    EmbeddedMariaDbBuilder(final MariaDbVersion version) {
        this.version = version;
    }

    /** Name used in logs and temp dirs (e.g. {@code master}, {@code replica1}). */
    public EmbeddedMariaDbBuilder name(final String value) {
        this.name = value;
        return this;
    }

    public EmbeddedMariaDbBuilder serverId(final int value) {
        this.serverId = value;
        return this;
    }

    /** A fixed port; 0 (default) picks a free one. */
    public EmbeddedMariaDbBuilder port(final int value) {
        this.port = value;
        return this;
    }

    /** An extra server option, {@code --name=value} ({@code value} null for a bare flag). */
    public EmbeddedMariaDbBuilder option(final String optionName, final String value) {
        this.options.put(optionName, value);
        return this;
    }

    /** Runs the install script and the first start itself (the template of {@link DataDirTemplates}). */
    EmbeddedMariaDbBuilder fromScratch() {
        this.fromScratch = true;
        return this;
    }

    /**
     * Serves TLS as the server does by default (11.4 with a certificate it generates at start); without this the
     * server runs with {@code --skip-ssl}, and replicas of it must use {@code MASTER_SSL=0}.
     */
    public EmbeddedMariaDbBuilder tls() {
        this.tls = true;
        return this;
    }

    /** Receives download/unpack progress lines. */
    public EmbeddedMariaDbBuilder progress(final Consumer<String> value) {
        this.progress = value;
        return this;
    }

    /** Creates the server (downloads/unpacks the build if needed) without starting it. */
    public EmbeddedMariaDb build() {
        try {
            return new EmbeddedMariaDb(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
