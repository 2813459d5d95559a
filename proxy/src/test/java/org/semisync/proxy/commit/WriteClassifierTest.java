package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Probe-mode classification: read-only statements are never probed, anything else is. */
class WriteClassifierTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT 1",
                "  select * from t where a = 'x;DELETE FROM t'",
                "/* hint */ SELECT 1",
                "-- comment\nSELECT 1",
                "# comment\n show variables like 'x'",
                "SHOW MASTER STATUS",
                "DESC t",
                "EXPLAIN UPDATE t SET a=1",
                "USE db",
                "SET NAMES utf8mb4",
                "SET time_zone='+00:00'",
                "SET @a = 5",
                "SET autocommit=1",
                "set autocommit=1, session_track_schema=1, session_track_system_variables ="
                        + " CONCAT(@@global.session_track_system_variables,',tx_isolation')",
                // MariaDB Connector/J 3.5 on connect (10.2.11)
                "set sql_mode=CONCAT(@@sql_mode,',STRICT_TRANS_TABLES'),session_track_system_variables="
                        + "CONCAT('autocommit,tx_isolation',IF(LOCATE('*',@@session_track_system_variables)>0 OR"
                        + " FIND_IN_SET('last_gtid',LOWER(REPLACE(@@session_track_system_variables,' ',''))),'',''))",
                "SELECT 1; SELECT 2;",
                // a replica's STOP SLAVE kills its dump through the proxy: never a commit
                "KILL 42",
                "KILL CONNECTION 42",
                "KILL QUERY 42",
                "SET GLOBAL read_only = 0",
                "SET GLOBAL rpl_semi_sync_master_timeout = 1000",
                "CHECKSUM TABLE t",
                "DEALLOCATE PREPARE s",
                "BEGIN",
                "START TRANSACTION READ ONLY",
                "",
                " ; ; "
            })
    void readOnly(final String sql) {
        assertThat(WriteClassifier.mayWrite(sql, false)).as(sql).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "INSERT INTO t VALUES (1)",
                "  update t set a = 1",
                "/* SELECT */ DELETE FROM t",
                "COMMIT",
                "XA COMMIT 'x'",
                "CREATE TABLE t (a INT)",
                "CALL p()",
                "LOAD DATA LOCAL INFILE 'f' INTO TABLE t",
                "REPLACE INTO t VALUES (1)",
                "SELECT 1; INSERT INTO t VALUES (2)",
                "SELECT a INTO OUTFILE '/tmp/x' FROM t",
                "SELECT 1 INTO @x",
                "/*!40101 INSERT INTO t VALUES (1) */",
                "SET @x = my_writing_function(1)",
                "SET PASSWORD FOR u = PASSWORD('x')",
                "SET DEFAULT ROLE r FOR u",
                "SET STATEMENT max_statement_time = 1 FOR UPDATE t SET a = 1",
                "TRUNCATE t",
                "something unknown",
                "DO RELEASE_LOCK('x')"
            })
    void mayWrite(final String sql) {
        assertThat(WriteClassifier.mayWrite(sql, false)).as(sql).isTrue();
    }

    @Test
    void beginCommitsAnOpenTransaction() {
        assertThat(WriteClassifier.mayWrite("BEGIN", true)).isTrue();
        assertThat(WriteClassifier.mayWrite("START TRANSACTION", true)).isTrue();
        assertThat(WriteClassifier.mayWrite("SELECT 1", true)).isFalse();
        assertThat(WriteClassifier.mayWrite("SET autocommit=1", true)).isTrue();
        assertThat(WriteClassifier.mayWrite("SET @@autocommit = 1", true)).isTrue();
    }

    @Test
    void splitHonoursQuotesAndComments() {
        assertThat(SqlText.split("SELECT ';'; /* ; */ INSERT INTO t VALUES (\"a;b\"); -- ;\n"))
                .containsExactly("SELECT ';'", "/* ; */ INSERT INTO t VALUES (\"a;b\")", "-- ;");
        assertThat(SqlText.firstWord("  /* x */ -- y\n insert into t")).isEqualTo("INSERT");
        assertThat(SqlText.firstWord("/*!40101 SET x=1*/")).isEqualTo(SqlText.EXECUTABLE_COMMENT);
        assertThat(SqlText.split("SELECT 'it''s; fine'")).containsExactly("SELECT 'it''s; fine'");
        assertThat(SqlText.split("SELECT 'a\\';b'")).containsExactly("SELECT 'a\\';b'");
    }
}
