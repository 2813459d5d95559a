package org.semisync.ack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SemiSyncVariablesTest {
    @Test
    void setsEachVariableWithThePluginsNamesAndValueSyntax() {
        SemiSyncSettings s = SemiSyncSettings.DEFAULTS;
        s = SemiSyncVariables.set(s, "RPL_SEMI_SYNC_MASTER_TIMEOUT", " 2500 ");
        s = SemiSyncVariables.set(s, "rpl_semi_sync_master_wait_for_slave_count", "3");
        s = SemiSyncVariables.set(s, "rpl_semi_sync_master_wait_no_slave", "off");
        s = SemiSyncVariables.set(s, "rpl_semi_sync_master_enabled", "0");
        s = SemiSyncVariables.set(s, "rpl_semi_sync_master_enforced", "TRUE");
        s = SemiSyncVariables.set(s, "rpl_semi_sync_master_wait_point", "after_sync");
        final SemiSyncSettings result = s;
        assertThat(result).isEqualTo(new SemiSyncSettings(false, 2500, 3, false, true, WaitPoint.AFTER_SYNC));
        assertThat(SemiSyncVariables.NAMES)
                .extracting(n -> SemiSyncVariables.get(result, n))
                .containsExactly("OFF", "ON", "2500", "3", "OFF", "AFTER_SYNC");
        // the plugin's enumeration order: AFTER_SYNC is 0, AFTER_COMMIT 1
        assertThat(SemiSyncVariables.set(result, SemiSyncVariables.WAIT_POINT, "1")
                        .waitPoint())
                .isEqualTo(WaitPoint.AFTER_COMMIT);
        assertThatThrownBy(() -> SemiSyncVariables.set(result, SemiSyncVariables.WAIT_POINT, "AFTER_FLUSH"))
                .hasMessageContaining("AFTER_FLUSH");
    }

    @Test
    void rejectsUnknownNamesAndBadValuesNamingThem() {
        final SemiSyncSettings d = SemiSyncSettings.DEFAULTS;
        assertThatThrownBy(() -> SemiSyncVariables.set(d, "rpl_semi_sync_slave_enabled", "ON"))
                .hasMessageContaining("Unknown system variable 'rpl_semi_sync_slave_enabled'");
        assertThatThrownBy(() -> SemiSyncVariables.set(d, SemiSyncVariables.ENABLED, "maybe"))
                .hasMessageContaining("maybe");
        assertThatThrownBy(() -> SemiSyncVariables.set(d, SemiSyncVariables.TIMEOUT, "10s"))
                .isInstanceOf(SemiSyncVariables.IncorrectType.class)
                .hasMessageContaining("Incorrect argument type");
    }

    @Test
    void outOfRangeNumbersAreClampedAndDefaultRestoresThePluginsDefault() {
        final SemiSyncSettings d = SemiSyncSettings.DEFAULTS.withTimeoutMillis(1600);
        assertThat(SemiSyncVariables.set(d, SemiSyncVariables.WAIT_FOR_SLAVE_COUNT, "0")
                        .waitForSlaveCount())
                .isEqualTo(1);
        assertThat(SemiSyncVariables.set(d, SemiSyncVariables.TIMEOUT, "-1").timeoutMillis())
                .isZero();
        assertThat(SemiSyncVariables.set(d, SemiSyncVariables.TIMEOUT, "DEFAULT")
                        .timeoutMillis())
                .isEqualTo(10_000);
        assertThat(SemiSyncVariables.set(d, SemiSyncVariables.ENABLED, "default")
                        .enabled())
                .isFalse();
    }
}
