package org.semisync.proxy.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.semisync.ack.WaitPoint;
import org.semisync.proxy.binlog.BinlogRing;

/**
 * Everything the proxy is configured with, after command-line flags, {@code SEMISYNC_PROXY_*} environment variables
 * and the YAML file have been merged. Immutable; {@link #builder()} for construction. The semi-sync variables keep
 * the plugin's meaning and defaults ({@code rpl_semi_sync_master_*}); they can be changed at run time through the
 * admin statements, which do not touch this object.
 */
public final class ProxyConfig {
    /** Default listen address: loopback only, one port above the MySQL default. */
    public static final HostPort DEFAULT_LISTEN = new HostPort("127.0.0.1", 3307);

    /**
     * Default size of the shared ring: 64 MiB of events. A replica that falls further behind than this is served by a
     * master dump of its own until it reaches the ring again (it only lags), so the size trades the proxy's memory
     * against how often the master serves extra dumps: 64 MiB is a few seconds of a heavy write burst (a sysbench
     * prepare writes about 20 MB of binlog per 100,000 rows) and small beside the JVM's default heap.
     */
    public static final long DEFAULT_RING_BYTES = 64L << 20;

    /** Smallest ring accepted: 4 KiB (tests use tiny rings; in production it only means more catch-up dumps). */
    public static final long MIN_RING_BYTES = 4L << 10;

    private final HostPort master;
    private final HostPort listen;
    private final String replicationUser;
    private final String replicationPassword;
    private final long timeoutMillis;
    private final int waitForSlaveCount;
    private final boolean waitNoSlave;
    private final boolean enforced;
    private final WaitPoint waitPoint;
    private final HostPort metrics;
    private final long serverId;
    private final Path tlsCertificate;
    private final Path tlsPrivateKey;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;
    private final long ringBytes;

    private ProxyConfig(final Builder b) {
        this.master = Objects.requireNonNull(b.master, "master");
        this.listen = b.listen;
        this.replicationUser = b.replicationUser;
        this.replicationPassword = b.replicationPassword;
        this.timeoutMillis = b.timeoutMillis;
        this.waitForSlaveCount = b.waitForSlaveCount;
        this.waitNoSlave = b.waitNoSlave;
        this.enforced = b.enforced;
        this.waitPoint = b.waitPoint;
        this.metrics = b.metrics;
        this.serverId = b.serverId;
        this.tlsCertificate = b.tlsCertificate;
        this.tlsPrivateKey = b.tlsPrivateKey;
        this.connectTimeout = b.connectTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.ringBytes = b.ringBytes;
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeout must be >= 0 ms, got " + timeoutMillis);
        }
        if (waitForSlaveCount < 1 || waitForSlaveCount > 65535) {
            throw new IllegalArgumentException("wait-for-slave-count must be 1..65535, got " + waitForSlaveCount);
        }
        if (ringBytes < MIN_RING_BYTES || ringBytes > BinlogRing.MAX_BYTES) {
            throw new IllegalArgumentException("ring-bytes must be " + MIN_RING_BYTES + " (4K) to "
                    + BinlogRing.MAX_BYTES + " (1G), got " + ringBytes);
        }
        if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
            throw new IllegalArgumentException("tls certificate and private key must be given together");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The master every client and the binlog tail connect to. */
    public HostPort master() {
        return master;
    }

    /** Where the proxy accepts clients and replicas. */
    public HostPort listen() {
        return listen;
    }

    /** Account for the binlog tail and the control connections (REPLICATION SLAVE, REPLICATION CLIENT). */
    public String replicationUser() {
        return replicationUser;
    }

    public String replicationPassword() {
        return replicationPassword;
    }

    /** {@code rpl_semi_sync_master_timeout}, milliseconds. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** {@code rpl_semi_sync_master_wait_for_slave_count}. */
    public int waitForSlaveCount() {
        return waitForSlaveCount;
    }

    /** {@code rpl_semi_sync_master_wait_no_slave}. */
    public boolean waitNoSlave() {
        return waitNoSlave;
    }

    /** Never fall back to asynchronous replication: commits wait until acknowledged. */
    public boolean enforced() {
        return enforced;
    }

    /** {@code rpl_semi_sync_master_wait_point}. */
    public WaitPoint waitPoint() {
        return waitPoint;
    }

    /** Address of the Prometheus {@code /metrics} endpoint, or {@code null} for none. */
    public HostPort metrics() {
        return metrics;
    }

    /** Server id the binlog tail registers with; 0 means "pick one that does not clash". */
    public long serverId() {
        return serverId;
    }

    /** PEM certificate for client-side TLS, or {@code null} to generate a self-signed one. */
    public Path tlsCertificate() {
        return tlsCertificate;
    }

    /** PEM private key matching {@link #tlsCertificate()}. */
    public Path tlsPrivateKey() {
        return tlsPrivateKey;
    }

    /** How long connecting to the master may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long a client may take to complete the handshake and authentication. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** The most bytes of binlog events the shared ring holds for replicas. */
    public long ringBytes() {
        return ringBytes;
    }

    /** A builder pre-filled with the documented defaults. */
    public Builder toBuilder() {
        final Builder b = new Builder();
        b.master = master;
        b.listen = listen;
        b.replicationUser = replicationUser;
        b.replicationPassword = replicationPassword;
        b.timeoutMillis = timeoutMillis;
        b.waitForSlaveCount = waitForSlaveCount;
        b.waitNoSlave = waitNoSlave;
        b.enforced = enforced;
        b.waitPoint = waitPoint;
        b.metrics = metrics;
        b.serverId = serverId;
        b.tlsCertificate = tlsCertificate;
        b.tlsPrivateKey = tlsPrivateKey;
        b.connectTimeout = connectTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.ringBytes = ringBytes;
        return b;
    }

    /** Builder with the plugin's defaults: timeout 10000 ms, wait_for_slave_count 1, wait_no_slave ON. */
    public static final class Builder {
        private HostPort master;
        private HostPort listen = DEFAULT_LISTEN;
        private String replicationUser;
        private String replicationPassword;
        private long timeoutMillis = 10_000;
        private int waitForSlaveCount = 1;
        private boolean waitNoSlave = true;
        private boolean enforced;
        private WaitPoint waitPoint = WaitPoint.AFTER_COMMIT;
        private HostPort metrics;
        private long serverId;
        private Path tlsCertificate;
        private Path tlsPrivateKey;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private long ringBytes = DEFAULT_RING_BYTES;

        private Builder() {}

        public Builder master(final HostPort value) {
            this.master = value;
            return this;
        }

        public Builder listen(final HostPort value) {
            this.listen = value;
            return this;
        }

        public Builder replicationUser(final String value) {
            this.replicationUser = value;
            return this;
        }

        public Builder replicationPassword(final String value) {
            this.replicationPassword = value;
            return this;
        }

        public Builder timeoutMillis(final long value) {
            this.timeoutMillis = value;
            return this;
        }

        public Builder waitForSlaveCount(final int value) {
            this.waitForSlaveCount = value;
            return this;
        }

        public Builder waitNoSlave(final boolean value) {
            this.waitNoSlave = value;
            return this;
        }

        public Builder waitPoint(final WaitPoint value) {
            this.waitPoint = java.util.Objects.requireNonNull(value, "waitPoint");
            return this;
        }

        public Builder enforced(final boolean value) {
            this.enforced = value;
            return this;
        }

        public Builder metrics(final HostPort value) {
            this.metrics = value;
            return this;
        }

        public Builder serverId(final long value) {
            this.serverId = value;
            return this;
        }

        public Builder tls(final Path certificate, final Path privateKey) {
            this.tlsCertificate = certificate;
            this.tlsPrivateKey = privateKey;
            return this;
        }

        public Builder connectTimeout(final Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder handshakeTimeout(final Duration value) {
            this.handshakeTimeout = value;
            return this;
        }

        public Builder ringBytes(final long value) {
            this.ringBytes = value;
            return this;
        }

        public ProxyConfig build() {
            return new ProxyConfig(this);
        }
    }
}
