package org.semisync.ack;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReplicaMetricsTest {
    private static SemiSyncStatus status(final BinlogPosition newest, final SemiSyncStatus.ReplicaView... replicas) {
        return new SemiSyncStatus(
                true,
                replicas.length,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                newest,
                null,
                null,
                SemiSyncSettings.DEFAULTS,
                List.of(replicas),
                0,
                0);
    }

    private static SemiSyncStatus.ReplicaView replica(final String id, final String acked) {
        return new SemiSyncStatus.ReplicaView(id, acked == null ? null : BinlogPosition.parse(acked), 1, 1);
    }

    @Test
    void oneRowPerConnectedReplicaWithPositionAndLag() {
        final AtomicReference<SemiSyncStatus> now = new AtomicReference<>(status(
                BinlogPosition.parse("mysql-bin.000003:1000"),
                replica("2", "mysql-bin.000003:400"),
                replica("3", "mysql-bin.000002:9000"),
                replica("4", null)));
        final ReplicaMetrics metrics = new ReplicaMetrics(now::get);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        metrics.refresh();

        assertThat(gauge(registry, "semisync.replica.ack.file", "2")).isEqualTo(3.0);
        assertThat(gauge(registry, "semisync.replica.ack.offset", "2")).isEqualTo(400.0);
        assertThat(gauge(registry, "semisync.replica.lag.bytes", "2")).isEqualTo(600.0);
        assertThat(gauge(registry, "semisync.replica.lag.files", "2")).isZero();
        assertThat(gauge(registry, "semisync.replica.lag.bytes", "3")).isNaN();
        assertThat(gauge(registry, "semisync.replica.lag.files", "3")).isEqualTo(1.0);
        assertThat(gauge(registry, "semisync.replica.ack.offset", "4")).isNaN();

        now.set(status(BinlogPosition.parse("mysql-bin.000003:1000"), replica("2", "mysql-bin.000003:1000")));
        metrics.refresh();
        assertThat(gauge(registry, "semisync.replica.lag.bytes", "2")).isZero();
        assertThat(registry.find("semisync.replica.lag.bytes")
                        .tag("replica", "3")
                        .gauge())
                .as("a replica that left has no row")
                .isNull();
    }

    private static double gauge(final SimpleMeterRegistry registry, final String name, final String replica) {
        return registry.get(name).tag("replica", replica).gauge().value();
    }

    @Test
    void lagAcrossFilesIsCountedInFiles() {
        final BinlogPosition newest = BinlogPosition.parse("b.000010:50");
        assertThat(ReplicaLag.bytesBehind(BinlogPosition.parse("b.000010:20"), newest))
                .isEqualTo(30.0);
        assertThat(ReplicaLag.bytesBehind(BinlogPosition.parse("b.000010:80"), newest))
                .isZero();
        assertThat(ReplicaLag.bytesBehind(BinlogPosition.parse("b.000008:20"), newest))
                .isNaN();
        assertThat(ReplicaLag.filesBehind(BinlogPosition.parse("b.000008:20"), newest))
                .isEqualTo(2.0);
        assertThat(ReplicaLag.bytesBehind(null, newest)).isNaN();
        assertThat(ReplicaLag.fileIndex(BinlogPosition.parse("nodot:4"))).isNaN();
    }
}
