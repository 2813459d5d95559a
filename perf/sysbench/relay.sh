#!/usr/bin/env bash
# Catch-up through the proxy vs directly from the master (Debian MariaDB 10.11, one semi-sync replica):
# the master commits 1,000,000 rows in 100 transactions while the replica is stopped; then the replica starts from
# before them, pointed at the proxy or at the master, and we time until its IO thread has received everything
# (transport) and until it has applied everything. Targets interleaved, N passes.
#   perf/sysbench/relay.sh [--passes 2] [--rows 1000000] [--warmup-rounds 5]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PASSES=2
ROWS=1000000
WARMUP_ROUNDS=5
while [ $# -gt 0 ]; do
  case $1 in
    --passes) PASSES=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --warmup-rounds) WARMUP_ROUNDS=$2; shift 2 ;;
    *) echo "usage: $0 [--passes N] [--rows N] [--warmup-rounds N]" >&2; exit 2 ;;
  esac
done
OUT="$RESULTS_ROOT/relay"
mkdir -p "$OUT"
need_tools
now_ms() { date +%s%3N; }
io_pos() { mariadb --no-defaults -uroot -h127.0.0.1 -P"$PORT_REPLICA" -e 'SHOW SLAVE STATUS\G' | awk '/Gtid_IO_Pos/ {print $2}'; }

start_mariadb master 1
start_mariadb replica 2 --rpl-semi-sync-slave-enabled=ON --read-only=1
start_proxy "$PORT_MASTER" --replication-user repl --replication-password repl_pass --timeout 1000

sql "$PORT_MASTER" "CREATE TABLE sbtest.million (id INT PRIMARY KEY, v VARCHAR(32))"
G0=$(sql "$PORT_MASTER" "SELECT @@gtid_binlog_pos")
# the replica gets the table without the rows, then starts after G0 each time
sql "$PORT_REPLICA" "SET sql_log_bin=0; CREATE TABLE sbtest.million (id INT PRIMARY KEY, v VARCHAR(32))"
PER_TRX=$((ROWS / 100))
for i in $(seq 0 99); do
  sql "$PORT_MASTER" "INSERT INTO sbtest.million SELECT seq + $((i * PER_TRX)), 'row' FROM sbtest.seq_1_to_$PER_TRX"
done
G1=$(sql "$PORT_MASTER" "SELECT @@gtid_binlog_pos")
BYTES=$(sql "$PORT_MASTER" "SHOW MASTER STATUS" | awk '{print $2}')

run() {   # run TARGET_NAME PORT -> prints "io_ms apply_ms"
  sql "$PORT_REPLICA" "STOP SLAVE; RESET SLAVE ALL; SET sql_log_bin=0; TRUNCATE sbtest.million;
    SET GLOBAL gtid_slave_pos='$G0'"
  sql "$PORT_REPLICA" "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$2, MASTER_USER='repl',
    MASTER_PASSWORD='repl_pass', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1"
  local t0 t_io t_apply
  t0=$(now_ms)
  sql "$PORT_REPLICA" "START SLAVE"
  until [ "$(io_pos)" = "$G1" ]; do sleep 0.01; done
  t_io=$(now_ms)
  sql "$PORT_REPLICA" "SELECT MASTER_GTID_WAIT('$G1', 600)" >/dev/null
  t_apply=$(now_ms)
  local rows; rows=$(sql "$PORT_REPLICA" "SELECT COUNT(*) FROM sbtest.million")
  [ "$rows" = "$ROWS" ] || { echo "perf: $1 replica has $rows rows, expected $ROWS" >&2; exit 1; }
  echo "$((t_io - t0)) $((t_apply - t0))"
}

# Warm-up, not recorded: the first catch-ups through a freshly started proxy also compile its relay path (JIT; C2
# was still compiling it during the sixth), and the first direct one reads a cold binlog; the proxy is a long-running
# process, so warm passes are what users see. The warm-up rounds go to warmup.txt (the first is the cold figure).
: >"$OUT/warmup.txt"
sql "$PORT_MASTER" "SET GLOBAL rpl_semi_sync_master_enabled=OFF"
run direct "$PORT_MASTER" >/dev/null
for round in $(seq 1 "$WARMUP_ROUNDS"); do
  read -r io apply < <(run proxy "$PORT_PROXY")
  echo "warm-up round $round proxy io_ms $io apply_ms $apply" | tee -a "$OUT/warmup.txt"
done

: >"$OUT/runs.txt"
for pass in $(seq 1 "$PASSES"); do
  for target in direct native proxy; do
    port=$PORT_MASTER; [ "$target" = proxy ] && port=$PORT_PROXY
    # native: the master's own semi-sync ON (the fair baseline for the proxy, which frames the stream for semi-sync);
    # direct: plain asynchronous replication. Neither the plugin nor the proxy asks the replica to ACK the old
    # transactions it catches up on, since no commit waits for them
    on=OFF; [ "$target" = native ] && on=ON
    sql "$PORT_MASTER" "SET GLOBAL rpl_semi_sync_master_enabled=$on"
    read -r io apply < <(run "$target" "$port")
    echo "pass $pass $target io_ms $io apply_ms $apply" | tee -a "$OUT/runs.txt"
  done
done
python3 - "$OUT/runs.txt" "$ROWS" "$BYTES" "$PASSES" "$WARMUP_ROUNDS" >"$OUT/RESULTS.md" <<'PY'
import sys, collections
runs, rows, size, passes, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
t = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(runs):
    f = line.split()
    t[f[2]]["io"].append(int(f[4])); t[f[2]]["apply"].append(int(f[6]))
print("# Replica catch-up: through the proxy vs directly from the master\n")
print("*direct*: the replica (semi-sync enabled) reads the master with its plugin OFF, so it never ACKs; *native*: the "
      "master's own semi-sync ON; *proxy*: through the proxy, which frames the master's stream for semi-sync. In "
      "both of these the replica is asked for no ACK of the old transactions it catches up on: no commit waits for "
      "them.\n")
print(f"Debian MariaDB 10.11 master and one semi-sync replica, {rows:,} rows in 100 transactions "
      f"({size / 1e6:.1f} MB of binlog), {passes} interleaved passes after unrecorded warm-up rounds (one direct, {warmup} through the proxy). *io*: until the replica's IO thread has "
      "received everything; *apply*: until it has applied everything. Raw runs in runs.txt.\n")
print("| target | io ms (per pass) | apply ms (per pass) | io MB/s | direct/target speed (io) | (apply) |"
      " native/target speed (io) | (apply) |")
print("|---|---|---|---|---|---|---|---|")
for target in ("direct", "native", "proxy"):
    io, ap = t[target]["io"], t[target]["apply"]
    ratio_io = sum(t["direct"]["io"]) / sum(io)
    ratio_ap = sum(t["direct"]["apply"]) / sum(ap)
    native_io = sum(t["native"]["io"]) / sum(io)
    native_ap = sum(t["native"]["apply"]) / sum(ap)
    print(f"| {target} | {' / '.join(map(str, io))} | {' / '.join(map(str, ap))} | "
          f"{size / 1e6 / (sum(io) / len(io) / 1000):.0f} | {ratio_io:.2f} | {ratio_ap:.2f} |"
          f" {native_io:.2f} | {native_ap:.2f} |")
PY
cat "$OUT/RESULTS.md"
