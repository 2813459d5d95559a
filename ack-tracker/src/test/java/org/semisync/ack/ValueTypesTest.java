package org.semisync.ack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValueTypesTest {
    @Test
    void binlogPositionsOrderAcrossRotationsAndNumberWidths() {
        assertThat(BinlogPosition.parse("mysql-bin.000009:999999"))
                .isLessThan(BinlogPosition.parse("mysql-bin.000010:4"));
        assertThat(BinlogPosition.parse("mysql-bin.999999:500"))
                .isLessThan(BinlogPosition.parse("mysql-bin.1000000:4"));
        assertThat(BinlogPosition.parse("mysql-bin.000010:100"))
                .isLessThan(BinlogPosition.parse("mysql-bin.000010:101"));
        assertThat(BinlogPosition.parse("a.000001:4").covers(BinlogPosition.parse("a.000001:4")))
                .isTrue();
        assertThat(BinlogPosition.max(null, BinlogPosition.parse("a.1:4"))).isEqualTo(BinlogPosition.parse("a.1:4"));
        assertThat(BinlogPosition.parse("mysql-bin.000010:1234").toString()).isEqualTo("mysql-bin.000010:1234");
    }

    @Test
    void badPositionsAreRejectedWithTheText() {
        assertThatThrownBy(() -> BinlogPosition.parse("mysql-bin.000001")).hasMessageContaining("FILE:OFFSET");
        assertThatThrownBy(() -> BinlogPosition.parse("mysql-bin.000001:x")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> BinlogPosition.parse("a/b:4")).hasMessageContaining("not a binlog file name");
        assertThatThrownBy(() -> new BinlogPosition("a.1", -1)).hasMessageContaining("negative");
    }

    @Test
    void mariaDbGtidsAndLists() {
        final MariaDbGtid g = MariaDbGtid.parse("0-1-42");
        assertThat(g).isEqualTo(new MariaDbGtid(0, 1, 42));
        assertThat(g.toString()).isEqualTo("0-1-42");
        assertThat(Gtid.parse("1-2-18446744073709551615").toString()).isEqualTo("1-2-18446744073709551615");
        final MariaDbGtidList list = MariaDbGtidList.parse("0-1-100, 1-2-7");
        assertThat(list.contains(MariaDbGtid.parse("0-1-99"))).isTrue();
        assertThat(list.contains(MariaDbGtid.parse("0-3-100"))).isTrue();
        assertThat(list.contains(MariaDbGtid.parse("0-1-101"))).isFalse();
        assertThat(list.contains(MariaDbGtid.parse("2-1-1"))).isFalse();
        assertThat(list.with(MariaDbGtid.parse("2-1-5")).toString()).isEqualTo("0-1-100,1-2-7,2-1-5");
        assertThat(MariaDbGtidList.parse("").gtids()).isEmpty();
        assertThatThrownBy(() -> MariaDbGtidList.parse("0-1-1,0-2-2")).hasMessageContaining("two GTIDs for domain 0");
        assertThatThrownBy(() -> MariaDbGtid.parse("0-1")).hasMessageContaining("domain-server-seq");
        assertThatThrownBy(() -> MariaDbGtid.parse("0-x-1")).hasMessageContaining("'0-x-1'");
        assertThatThrownBy(() -> MariaDbGtid.parse("0-1-2-3")).hasMessageContaining("'0-1-2-3'");
        assertThatThrownBy(() -> MariaDbGtid.parse("0--1")).hasMessageContaining("'0--1'");
        assertThatThrownBy(() -> MariaDbGtid.parse("0-1-")).hasMessageContaining("'0-1-'");
        assertThat(MariaDbGtid.parse(" 7-8-9 ")).isEqualTo(new MariaDbGtid(7, 8, 9));
        assertThatThrownBy(() -> MariaDbGtid.parse("4294967296-1-1")).hasMessageContaining("domain and server id");
    }

    @Test
    void mysqlGtidsAndSets() {
        final String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        assertThat(MysqlGtid.parse(uuid.toUpperCase() + ":23").toString()).isEqualTo(uuid + ":23");
        final MysqlGtidSet set = MysqlGtidSet.parse(uuid + ":1-5:7,\n 4e11fa47-71ca-11e1-9e33-c80aa9429562:3");
        assertThat(set.contains(MysqlGtid.parse(uuid + ":5"))).isTrue();
        assertThat(set.contains(MysqlGtid.parse(uuid + ":6"))).isFalse();
        assertThat(set.contains(MysqlGtid.parse(uuid + ":7"))).isTrue();
        final MysqlGtidSet filled = set.with(MysqlGtid.parse(uuid + ":6"));
        assertThat(filled.toString()).isEqualTo(uuid + ":1-7,4e11fa47-71ca-11e1-9e33-c80aa9429562:3");
        assertThat(MysqlGtidSet.parse(uuid + ":10-12")
                        .union(MysqlGtidSet.parse(uuid + ":1-3:13"))
                        .toString())
                .isEqualTo(uuid + ":1-3:10-13");
        assertThat(MysqlGtidSet.parse("")).isEqualTo(MysqlGtidSet.empty());
        assertThatThrownBy(() -> MysqlGtid.parse(uuid + ":0")).hasMessageContaining(">= 1");
        assertThatThrownBy(() -> MysqlGtid.parse("nope:1")).hasMessageContaining("not a server UUID");
        assertThatThrownBy(() -> MysqlGtidSet.parse(uuid)).hasMessageContaining("no intervals");
        assertThatThrownBy(() -> MysqlGtidSet.parse(uuid + ":5-2")).hasMessageContaining("bad");
    }
}
