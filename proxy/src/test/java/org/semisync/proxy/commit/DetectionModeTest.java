package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which masters report their GTIDs in OK packets. */
class DetectionModeTest {
    @Test
    void mariaDbTracksLastGtidFrom10_2_16() {
        assertThat(DetectionMode.from("10.1.23-MariaDB", false, false)).isEqualTo(DetectionMode.POSITION_PROBE);
        assertThat(DetectionMode.from("10.2.11-MariaDB-log", true, false)).isEqualTo(DetectionMode.POSITION_PROBE);
        assertThat(DetectionMode.from("10.2.16-MariaDB-log", true, false)).isEqualTo(DetectionMode.MARIADB_TRACKING);
        assertThat(DetectionMode.from("5.5.5-10.3.7-MariaDB", true, false)).isEqualTo(DetectionMode.POSITION_PROBE);
        assertThat(DetectionMode.from("5.5.5-10.3.8-MariaDB", true, false)).isEqualTo(DetectionMode.MARIADB_TRACKING);
        assertThat(DetectionMode.from("10.11.19-MariaDB-0+deb12u1", true, false))
                .isEqualTo(DetectionMode.MARIADB_TRACKING);
        assertThat(DetectionMode.from("11.4.5-MariaDB", true, false)).isEqualTo(DetectionMode.MARIADB_TRACKING);
    }

    @Test
    void mysqlNeedsSessionTrackGtids() {
        assertThat(DetectionMode.from("5.6.51-log", false, false)).isEqualTo(DetectionMode.POSITION_PROBE);
        assertThat(DetectionMode.from("5.7.44", true, true)).isEqualTo(DetectionMode.MYSQL_TRACKING);
        assertThat(DetectionMode.from("8.4.0", true, true)).isEqualTo(DetectionMode.MYSQL_TRACKING);
        assertThat(DetectionMode.MYSQL_TRACKING.trackingStatements())
                .containsExactly("SET session_track_gtids = OWN_GTID");
        assertThat(DetectionMode.POSITION_PROBE.trackingStatements()).isEmpty();
        assertThat(DetectionMode.POSITION_PROBE.tracking()).isFalse();
    }
}
