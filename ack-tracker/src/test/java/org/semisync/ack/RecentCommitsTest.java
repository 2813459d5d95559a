package org.semisync.ack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecentCommitsTest {
    /**
     * Against a map that forgets its eldest entry: random reports and lookups over few keys (so that probe chains
     * collide, wrap round the index and get shifted back by every eviction), both GTID kinds.
     */
    @Test
    void behavesAsAMapThatForgetsItsOldestReport() {
        final Random random = new Random(42);
        for (int capacity : new int[] {1, 2, 8, 64}) {
            final RecentCommits table = new RecentCommits(capacity);
            final Map<Gtid, BinlogPosition> model = new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(final Map.Entry<Gtid, BinlogPosition> eldest) {
                    return size() > capacity;
                }
            };
            final UUID uuid = new UUID(0x3E11FA4771CA11E1L, 0x9E33C80AA9429562L);
            for (int op = 0; op < 200_000; op++) {
                final Gtid gtid = random.nextBoolean()
                        ? new MariaDbGtid(random.nextInt(3), random.nextInt(3), random.nextInt(4 * capacity + 3))
                        : new MysqlGtid(uuid, 1 + random.nextInt(4 * capacity + 3));
                if (random.nextInt(3) == 0) {
                    final BinlogPosition end = new BinlogPosition("mysql-bin.00000" + random.nextInt(3), op);
                    table.put(gtid, end);
                    model.put(gtid, end);
                } else {
                    assertThat(table.get(gtid))
                            .as("op %d, capacity %d: %s", op, capacity, gtid)
                            .isEqualTo(model.get(gtid));
                }
            }
            for (Map.Entry<Gtid, BinlogPosition> kept : model.entrySet()) {
                assertThat(table.get(kept.getKey())).isEqualTo(kept.getValue());
            }
        }
    }

    @Test
    void aMariaDbAndAMysqlGtidNeverMeet() {
        final RecentCommits table = new RecentCommits(4);
        table.put(new MariaDbGtid(0, 0, 0), new BinlogPosition("a", 4));
        assertThat(table.get(new MysqlGtid(new UUID(0, 0), 1))).isNull();
        assertThat(table.get(new MariaDbGtid(0, 0, 0))).isEqualTo(new BinlogPosition("a", 4));
    }
}
