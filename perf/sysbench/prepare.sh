#!/usr/bin/env bash
# A write burst: `sysbench oltp_insert prepare` (4 x 100,000 rows by default) with two semi-sync replicas, through the
# proxy vs the master's native semi-sync (AFTER_COMMIT), Debian MariaDB 10.11. Per run: the prepare's wall time,
# whether a replica reconnected (the proxy's "starts a ... binlog dump" lines; the master's Rpl_semi_sync_master_clients
# sampled natively), how often a replica fell behind the proxy's ring and lagged on through a master dump of its own
# (semisync_relay_catch_up_dumps_total),
# whether Rpl_semi_sync_slave_status stayed ON on both replicas (sampled every 0.5 s during the prepare), and the CPU
# time of the master, the replicas and the proxy during the prepare (/proc/<pid>/stat; the proxy tails the master in
# both configurations, serving the replicas only through the proxy).
# Then the same for one LOAD DATA LOCAL INFILE of 1,000,000 rows (--load-rows; one ~60 MB transaction, sent by the
# mariadb client without TLS in both configurations) into an empty table, after an unrecorded warm-up load each.
#   perf/sysbench/prepare.sh [--passes 2] [--tables 4] [--rows 100000] [--threads 1] [--ring-bytes 64M]
#                            [--load-rows 1000000] [--no-sysbench]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PASSES=2
THREADS=1
RING_BYTES=64M
LOAD_ROWS=1000000
SYSBENCH_PREPARE=1
export SB_TABLES=4 SB_TABLE_SIZE=100000
while [ $# -gt 0 ]; do
  case $1 in
    --passes) PASSES=$2; shift 2 ;;
    --tables) SB_TABLES=$2; shift 2 ;;
    --rows) SB_TABLE_SIZE=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --ring-bytes) RING_BYTES=$2; shift 2 ;;
    --load-rows) LOAD_ROWS=$2; shift 2 ;;
    --no-sysbench) SYSBENCH_PREPARE=0; shift ;;
    *) echo "usage: $0 [--passes N] [--tables N] [--rows N] [--threads N] [--ring-bytes BYTES] [--load-rows N]" \
         "[--no-sysbench]" >&2; exit 2 ;;
  esac
done
OUT="$RESULTS_ROOT/prepare/ring-$RING_BYTES-t$THREADS"
mkdir -p "$OUT"; rm -f "$OUT"/*.txt
need_tools
now_ms() { date +%s%3N; }

start_mariadb master 1
start_mariadb replica1 2 --rpl-semi-sync-slave-enabled=ON --read-only=1
start_mariadb replica2 3 --rpl-semi-sync-slave-enabled=ON --read-only=1
SERVER_PIDS=("${PIDS[@]}")   # master, replica1, replica2
CLK_TCK=$(getconf CLK_TCK)
METRICS_PORT=$(free_port)
start_proxy "$PORT_MASTER" --replication-user repl --replication-password repl_pass --timeout 10000 \
  --ring-bytes "$RING_BYTES" --metrics "127.0.0.1:$METRICS_PORT"
PROXY_PID=${PIDS[-1]}
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }   # user + system so far
cpu_ms() {   # CPU ms of master, replicas, proxy so far
  echo "$(cpu_ticks "${SERVER_PIDS[0]}") $(( $(cpu_ticks "${SERVER_PIDS[1]}") + $(cpu_ticks "${SERVER_PIDS[2]}") ))" \
    "$(cpu_ticks "$PROXY_PID")" | awk -v hz="$CLK_TCK" '{printf "%d %d %d", $1 * 1000 / hz, $2 * 1000 / hz, $3 * 1000 / hz}'
}
proxy_counter() { curl -s "http://127.0.0.1:$METRICS_PORT/metrics" | awk -v n="$1" '$1==n {print int($2)}'; }
START=$(sql "$PORT_MASTER" "SELECT @@gtid_binlog_pos")
for r in $PORT_REPLICA1 $PORT_REPLICA2; do sql "$r" "SET GLOBAL gtid_slave_pos='$START'"; done

point_replicas() {   # point_replicas PORT
  for r in $PORT_REPLICA1 $PORT_REPLICA2; do
    replicate_from "$r" "$1"
  done
}
caught_up() {
  local target; target=$(sql "$PORT_MASTER" "SELECT @@gtid_binlog_pos")
  for r in $PORT_REPLICA1 $PORT_REPLICA2; do sql "$r" "SELECT MASTER_GTID_WAIT('$target', 300)" >/dev/null; done
}
semi_sync_clients() {   # native|proxy
  if [ "$1" = native ]; then
    sql "$PORT_MASTER" "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_clients'" | awk '{print $2}'
  else
    # from the metrics endpoint: a client connection through the proxy every 0.5 s (with the TLS handshake the
    # proxy offers) would cost the proxy more CPU than the check is worth
    proxy_counter semisync_master_clients
  fi
}
configure() {   # native|proxy -> sets TARGET_PORT
  if [ "$1" = native ]; then
    sql "$PORT_MASTER" "SET GLOBAL rpl_semi_sync_master_wait_point=AFTER_COMMIT;
      SET GLOBAL rpl_semi_sync_master_enabled=ON"
    point_replicas "$PORT_MASTER"; TARGET_PORT=$PORT_MASTER
  else
    sql "$PORT_MASTER" "SET GLOBAL rpl_semi_sync_master_enabled=OFF"
    point_replicas "$PORT_PROXY"; TARGET_PORT=$PORT_PROXY
  fi
  for _ in $(seq 1 100); do [ "$(semi_sync_clients "$1")" = 2 ] && break; sleep 0.1; done
}
watch_replicas() {   # watch_replicas CONFIG FILE: one line per 0.5 s until killed
  while true; do
    local line="$(now_ms) clients=$(semi_sync_clients "$1")"
    for r in $PORT_REPLICA1 $PORT_REPLICA2; do
      line+=" $(sql "$r" "SHOW STATUS LIKE 'Rpl_semi_sync_slave_status'" | awk '{print $2}')"
    done
    echo "$line" >>"$2"
    sleep 0.5
  done
}

measure() {   # measure KIND CONFIG PASS RUNS_FILE COMMAND...: one burst (the target is already configured)
  local kind=$1 config=$2 pass=$3 runs=$4; shift 4
  local dumps0 behind0 watch m0 r0 p0 m1 r1 p1 t0 t1 t2 dumps behind off samples line b0 b1
  b0=$(sql "$PORT_MASTER" "SHOW MASTER STATUS" | awk '{print $2}')
  dumps0=$(grep -c 'starts a semi-sync binlog dump' "$WORK_DIR/proxy.err" || true)
  behind0=$(proxy_counter semisync_relay_catch_up_dumps_total)
  watch="$OUT/watch_${kind}_${config}_run${pass}.txt"; : >"$watch"
  watch_replicas "$config" "$watch" & WATCH=$!
  read -r m0 r0 p0 <<<"$(cpu_ms)"
  t0=$(now_ms)
  "$@"
  t1=$(now_ms)
  read -r m1 r1 p1 <<<"$(cpu_ms)"
  caught_up
  t2=$(now_ms)
  b1=$(sql "$PORT_MASTER" "SHOW MASTER STATUS" | awk '{print $2}')
  kill "$WATCH"; wait "$WATCH" 2>/dev/null || true
  dumps=$(( $(grep -c 'starts a semi-sync binlog dump' "$WORK_DIR/proxy.err" || true) - dumps0 ))
  behind=$(( $(proxy_counter semisync_relay_catch_up_dumps_total) - behind0 ))
  off=$(awk '$2 != "clients=2" || $3 != "ON" || $4 != "ON"' "$watch" | wc -l)
  samples=$(wc -l <"$watch")
  line="pass $pass $config prepare_ms $((t1 - t0)) replicas_applied_ms $((t2 - t0)) samples $samples"
  line+=" samples_not_2_clients_both_ON $off cpu_ms_master $((m1 - m0)) cpu_ms_replicas $((r1 - r0))"
  line+=" cpu_ms_proxy $((p1 - p0)) binlog_bytes $((b1 - b0))"
  [ "$config" = proxy ] && line+=" replica_dumps_started $dumps fell_behind_ring $behind"
  echo "$kind: $line" >&2
  echo "$line" >>"$runs"
}
sysbench_prepare() { sb oltp_insert "$TARGET_PORT" "$THREADS" 0 "$1" prepare; }
load_data() {   # load_data OUTFILE: the whole file in one LOAD DATA LOCAL INFILE, one transaction
  mariadb --no-defaults --skip-ssl --local-infile=1 -usbtest -psbtest_pass -h127.0.0.1 -P"$TARGET_PORT" sbtest \
    -e "LOAD DATA LOCAL INFILE '$WORK_DIR/burst.tsv' INTO TABLE burst; SHOW WARNINGS" >"$1" 2>&1
}

if [ "$SYSBENCH_PREPARE" = 1 ]; then
# Warm-up, not recorded: one prepare through each configuration. The proxy's JIT compiles its relay path during the
# first prepare through it (its CPU time in that run was twice what it was in the next ones), and the master's buffer
# pool fills.
for config in native proxy; do
  configure "$config"
  sb oltp_insert "$TARGET_PORT" "$THREADS" 0 "$WORK_DIR/cleanup.txt" cleanup
  sb oltp_insert "$TARGET_PORT" "$THREADS" 0 "$WORK_DIR/warmup_$config.txt" prepare
  caught_up
done

: >"$OUT/runs.txt"
for pass in $(seq 1 "$PASSES"); do
  for config in native proxy; do
    configure "$config"
    sb oltp_insert "$TARGET_PORT" "$THREADS" 0 "$WORK_DIR/cleanup.txt" cleanup
    caught_up
    measure prepare "$config" "$pass" "$OUT/runs.txt" sysbench_prepare "$OUT/prepare_${config}_run${pass}.txt"
  done
done
fi

if [ "$LOAD_ROWS" -gt 0 ]; then
  # ~60 bytes a row: id, k, a 40-character string
  seq 1 "$LOAD_ROWS" | awk '{ printf "%d\t%d\trow-%036d\n", $1, ($1 * 7919) % 100003, $1 }' >"$WORK_DIR/burst.tsv"
  sql "$PORT_MASTER" "CREATE TABLE IF NOT EXISTS sbtest.burst (id INT PRIMARY KEY, k INT NOT NULL, c CHAR(40) NOT NULL)"
  : >"$OUT/load-runs.txt"
  for pass in warmup $(seq 1 "$PASSES"); do
    for config in native proxy; do
      configure "$config"
      sql "$TARGET_PORT" "TRUNCATE sbtest.burst"
      caught_up
      runs="$OUT/load-runs.txt"; [ "$pass" = warmup ] && runs="$WORK_DIR/load-warmup.txt"
      measure load "$config" "$pass" "$runs" load_data "$OUT/load_${config}_run${pass}.txt"
      rows=$(sql "$PORT_REPLICA1" "SELECT COUNT(*) FROM sbtest.burst")
      [ "$rows" = "$LOAD_ROWS" ] || echo "perf: replica1 has $rows rows after the $config load, expected $LOAD_ROWS" >&2
    done
  done
  rm -f "$OUT"/load_*_runwarmup.txt "$OUT"/watch_load_*_runwarmup.txt
fi

cp "$WORK_DIR/proxy.err" "$OUT/proxy-log.txt"
python3 - "$OUT" "$PASSES" "$SB_TABLES" "$SB_TABLE_SIZE" "$THREADS" "$RING_BYTES" "$LOAD_ROWS" >"$OUT/RESULTS.md" <<'PY'
import sys, collections, os
out, passes, tables, rows, threads, ring, load_rows = sys.argv[1:8]

def read(path):
    t = collections.defaultdict(list)
    if os.path.exists(path):
        for line in open(path):
            f = line.split()
            t[f[2]].append(dict(zip(f[3::2], f[4::2])))
    return t

def report(t, what):
    if not t["native"] or not t["proxy"]:
        return
    mb = [int(x.get("binlog_bytes", 0)) / 1e6 for x in t["native"] + t["proxy"]]
    print(f"| {what} | config | time ms (per pass) | applied ms (per pass) | samples not 2 clients / both ON | replica dumps started | fell behind the ring | CPU ms during it: master / replicas / proxy (per pass) |")
    print("|---|---|---|---|---|---|---|---|")
    for config in ("native", "proxy"):
        r = t[config]
        print(f"| | {config} | {' / '.join(x['prepare_ms'] for x in r)} | {' / '.join(x['replicas_applied_ms'] for x in r)} | "
              f"{' / '.join(x['samples_not_2_clients_both_ON'] + ' of ' + x['samples'] for x in r)} | "
              f"{' / '.join(x.get('replica_dumps_started', '-') for x in r)} | {' / '.join(x.get('fell_behind_ring', '-') for x in r)} | "
              f"{', '.join(x['cpu_ms_master'] + ' / ' + x['cpu_ms_replicas'] + ' / ' + x['cpu_ms_proxy'] for x in r)} |")
    native = sum(int(x["prepare_ms"]) for x in t["native"])
    proxy = sum(int(x["prepare_ms"]) for x in t["proxy"])
    print(f"\n{what}: speed of the proxy relative to native (native time / proxy time, summed over the passes): "
          f"**{native / proxy:.2f}x**" + (f"; about {max(mb):.0f} MB of binlog each" if max(mb) else "") + "\n")

print("# Write bursts: proxy vs native semi-sync (AFTER_COMMIT)\n")
print(f"Debian MariaDB 10.11 master, two semi-sync replicas, proxy ring {ring}, {passes} interleaved passes after an "
      "unrecorded warm-up through each configuration. *time*: the client's wall time; *applied*: until both replicas "
      "applied everything; *not 2 clients / both ON*: 0.5 s samples during the burst where the semi-sync master did not "
      "count 2 replicas or a replica's Rpl_semi_sync_slave_status was not ON (raw samples in watch_*.txt); *replica "
      "dumps started*: replicas (re)connecting to the proxy during it; *fell behind the ring*: catch-up master dumps "
      "opened for a replica (semisync_relay_catch_up_dumps_total). Raw runs in runs.txt (sysbench prepare) and "
      "load-runs.txt (LOAD DATA), the proxy's log in proxy-log.txt.\n")
print(f"* `sysbench oltp_insert prepare`: {tables} x {int(rows):,} rows, {threads} sysbench thread(s) (bulk INSERTs "
      "of 512 KB, one transaction per INSERT)")
print(f"* `LOAD DATA LOCAL INFILE`: {int(load_rows):,} rows (id INT, k INT, CHAR(40)) in one statement, one transaction, "
      "the `mariadb` client without TLS\n")
report(read(os.path.join(out, "runs.txt")), "sysbench prepare")
report(read(os.path.join(out, "load-runs.txt")), "LOAD DATA")
PY
cat "$OUT/RESULTS.md"
