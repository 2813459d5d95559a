package org.semisync.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.semisync.ack.SemiSyncSettings;

/** Recognising the admin statements and building their rows. */
class AdminStatementTest {
    @Test
    void showWithLikePattern() {
        final AdminStatement s =
                AdminStatement.recognise("SHOW GLOBAL VARIABLES LIKE '%semi%'").orElseThrow();
        assertThat(s).isInstanceOfSatisfying(AdminStatement.Show.class, show -> {
            assertThat(show.status()).isFalse();
            assertThat(show.like().matches("rpl_semi_sync_master_timeout")).isTrue();
            assertThat(show.like().matches("max_connections")).isFalse();
        });
        final AdminStatement.Show status = (AdminStatement.Show)
                AdminStatement.recognise("show status like 'Rpl_semi_sync%';").orElseThrow();
        assertThat(status.status()).isTrue();
        assertThat(status.like().matches("RPL_SEMI_SYNC_MASTER_YES_TX")).isTrue();
        assertThat(status.like().matches("rpl_semi_xsync")).isFalse();
    }

    @Test
    void showWhereAndInformationSchema() {
        final var where = (AdminStatement.Show)
                AdminStatement.recognise("SHOW GLOBAL STATUS WHERE Variable_name = 'Rpl_semi_sync_master_status'")
                        .orElseThrow();
        assertThat(where.like().matches("rpl_semi_sync_master_status")).isTrue();
        assertThat(where.like().matches("rpl_semi_sync_masterXstatus"))
                .as("= is literal")
                .isFalse();
        final var whereLike =
                (AdminStatement.Show) AdminStatement.recognise("show variables where variable_name like '%semi%'")
                        .orElseThrow();
        assertThat(whereLike.status()).isFalse();
        assertThat(whereLike.like().matches("rpl_semi_sync_master_timeout")).isTrue();
        final var is = (AdminStatement.Show) AdminStatement.recognise(
                        "SELECT * FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME LIKE 'RPL_SEMI%'")
                .orElseThrow();
        assertThat(is.status()).isTrue();
        assertThat(is.columns()).containsExactly("VARIABLE_NAME", "VARIABLE_VALUE");
        assertThat(is.like().matches("Rpl_semi_sync_master_yes_tx")).isTrue();
        assertThat(AdminStatement.recognise(
                        "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES"))
                .get()
                .isInstanceOfSatisfying(
                        AdminStatement.Show.class, s -> assertThat(s.status()).isFalse());
        assertThat(AdminStatement.recognise("SELECT * FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_VALUE > 3"))
                .as("other WHERE clauses go to the master")
                .isEmpty();
    }

    @Test
    void likeEscapesAndSingleCharacterWildcard() {
        assertThat(LikePattern.of("rpl\\_semi%").matches("rpl_semi_sync")).isTrue();
        assertThat(LikePattern.of("rpl\\_semi%").matches("rplXsemi_sync")).isFalse();
        assertThat(LikePattern.of("rpl_semi%").matches("rplXsemi_sync")).isTrue();
        assertThat(LikePattern.of("a.b").matches("aXb")).as("dot is literal").isFalse();
    }

    @Test
    void selectOfProxyVariables() {
        final AdminStatement.SelectVariables s = (AdminStatement.SelectVariables)
                AdminStatement.recognise("SELECT @@global.rpl_semi_sync_master_timeout, @@rpl_semi_sync_master_enabled")
                        .orElseThrow();
        assertThat(s.expressions())
                .containsExactly("@@global.rpl_semi_sync_master_timeout", "@@rpl_semi_sync_master_enabled");
        assertThat(s.names()).containsExactly("rpl_semi_sync_master_timeout", "rpl_semi_sync_master_enabled");
        final Map<String, String> vars = StatusRows.variables(SemiSyncSettings.DEFAULTS, 32);
        assertThat(VariableRows.select(s.names(), vars)).containsExactly("10000", "ON");
        assertThatThrownBy(() -> VariableRows.select(List.of("rpl_semi_sync_master_nope"), vars))
                .isInstanceOf(VariableRows.UnknownVariableException.class)
                .hasMessageContaining("rpl_semi_sync_master_nope");
    }

    @Test
    void setGlobal() {
        assertThat(AdminStatement.recognise("SET GLOBAL rpl_semi_sync_master_timeout = 2000"))
                .contains(new AdminStatement.SetVariable("rpl_semi_sync_master_timeout", "2000"));
        assertThat(AdminStatement.recognise("set @@global.RPL_SEMI_SYNC_MASTER_ENABLED='OFF';"))
                .contains(new AdminStatement.SetVariable("rpl_semi_sync_master_enabled", "OFF"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT @@version",
                "SELECT @@global.rpl_semi_sync_master_timeout, @@version",
                "SELECT 1",
                "SET GLOBAL max_connections = 10",
                "SET rpl_semi_sync_master_timeout = 1",
                "INSERT INTO t VALUES ('SHOW VARIABLES')",
                "SHOW MASTER STATUS"
            })
    void notAdmin(final String sql) {
        assertThat(AdminStatement.recognise(sql)).as(sql).isEmpty();
    }

    @Test
    void mergeReplacesProxyNamesAndSortsLikeTheServer() {
        final List<List<String>> master = List.of(
                List.of("rpl_semi_sync_master_enabled", "OFF"),
                List.of("max_connections", "151"),
                List.of("sql_mode", "STRICT"));
        final Map<String, String> proxy = StatusRows.variables(SemiSyncSettings.DEFAULTS, 32);
        final List<List<String>> merged = VariableRows.merge(master, proxy, LikePattern.of("%"));
        assertThat(merged.get(0)).containsExactly("max_connections", "151");
        assertThat(merged).contains(List.of("rpl_semi_sync_master_enabled", "ON"));
        assertThat(merged).doesNotContain(List.of("rpl_semi_sync_master_enabled", "OFF"));
        assertThat(merged.get(merged.size() - 1)).containsExactly("sql_mode", "STRICT");
        assertThat(merged).hasSize(2 + proxy.size());
        assertThat(VariableRows.merge(List.of(), proxy, LikePattern.of("%timeout")))
                .containsExactly(List.of("rpl_semi_sync_master_timeout", "10000"));
    }
}
