package org.semisync.proxy.commit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AFTER_SYNC: which answers could show a transaction (held) and which cannot (a replica's set-up, health checks). */
class ReadClassifierTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                // what a MariaDB replica sends before its dump
                "SELECT UNIX_TIMESTAMP()",
                "SELECT @@GLOBAL.SERVER_ID",
                "SET @master_heartbeat_period= 15000000000",
                "SET @master_binlog_checksum= @@global.binlog_checksum",
                "SELECT @master_binlog_checksum",
                "SELECT @@GLOBAL.gtid_domain_id",
                "SET @slave_connect_state='0-1-12'",
                "SET @mariadb_slave_capability=4",
                "SHOW VARIABLES LIKE 'SERVER_UUID'",
                "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync%'",
                "SELECT 1",
                "SELECT @@session.auto_increment_increment AS auto_increment_increment, @@character_set_client AS"
                        + " character_set_client",
                "USE app",
                "KILL 12",
                "BEGIN",
                "START TRANSACTION",
                "ROLLBACK",
                "SHOW WARNINGS"
            })
    void showsNothing(final String sql) {
        assertThat(ReadClassifier.mayShowData(SqlText.split(sql))).as(sql).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT * FROM t",
                "select count(*) from t where id = 1",
                "SELECT (SELECT MAX(id) FROM t)",
                "SET @x = (SELECT MAX(id) FROM t)",
                "SELECT my_function(1)",
                "SHOW MASTER STATUS",
                "SHOW TABLE STATUS",
                "SHOW BINLOG EVENTS",
                "CALL p()",
                "UPDATE t SET a = 1",
                "SELECT 1; SELECT * FROM t",
                "/*!40101 SELECT * FROM t */",
                "something unknown"
            })
    void mayShowData(final String sql) {
        assertThat(ReadClassifier.mayShowData(SqlText.split(sql))).as(sql).isTrue();
    }
}
