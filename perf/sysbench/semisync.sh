#!/usr/bin/env bash
# Proxy semi-sync vs the master's native semi-sync (AFTER_COMMIT, AFTER_SYNC), Debian MariaDB 10.11, two replicas.
#   perf/sysbench/semisync.sh [--seconds 15] [--threads "1 8 32 64"] [--tests "oltp_insert oltp_write_only"] [--passes 2]
#                             [--warmup 30]
# Each cell runs the three configurations back to back (interleaved); raw outputs, counters and RESULTS.md go to
# perf/results/semisync/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SECONDS_PER_CELL=15
THREADS="1 8"
TESTS="oltp_insert oltp_write_only"
PASSES=1
export SB_HISTOGRAM=on   # p95 comes from sysbench's latency histogram (it prints one percentile, p99 here)
WARMUP_SECONDS=30
CLK_TCK=$(getconf CLK_TCK)
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) SECONDS_PER_CELL=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --tests) TESTS=$2; shift 2 ;;
    --passes) PASSES=$2; shift 2 ;;
    --warmup) WARMUP_SECONDS=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds N] [--threads LIST] [--tests LIST] [--passes N] [--warmup SECONDS]" >&2; exit 2 ;;
  esac
done

OUT="$PERF_ROOT/results/semisync"
mkdir -p "$OUT"
rm -f "$OUT"/*.txt
need_tools
sql() { mariadb --no-defaults -uroot -h127.0.0.1 -P"$1" -N -e "$2"; }

start_mariadb master 1
start_mariadb replica1 2 --rpl-semi-sync-slave-enabled=ON --read-only=1
start_mariadb replica2 3 --rpl-semi-sync-slave-enabled=ON --read-only=1
SERVER_PIDS=("${PIDS[@]}")   # master, replica1, replica2
METRICS_PORT=$(free_port)
start_proxy "$PORT_MASTER" --replication-user repl --replication-password repl_pass --timeout 10000 \
  --metrics "127.0.0.1:$METRICS_PORT"
PROXY_PID=${PIDS[-1]}
# CPU time (user + system, clock ticks) of a process so far
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
cpu_snapshot() { echo "$(cpu_ticks "${SERVER_PIDS[0]}") $(( $(cpu_ticks "${SERVER_PIDS[1]}") + $(cpu_ticks "${SERVER_PIDS[2]}") )) $(cpu_ticks "$PROXY_PID")"; }
# replicas start at the master's position before the tables are prepared, so they replicate them
START=$(sql "$PORT_MASTER" "SELECT @@gtid_binlog_pos")
for r in $PORT_REPLICA1 $PORT_REPLICA2; do sql "$r" "SET GLOBAL gtid_slave_pos='$START'"; done
sb oltp_write_only "$PORT_MASTER" 4 0 "$WORK_DIR/prepare.txt" prepare

point_replicas() {   # point_replicas PORT
  for r in $PORT_REPLICA1 $PORT_REPLICA2; do
    sql "$r" "STOP SLAVE; CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$1, MASTER_USER='repl',
      MASTER_PASSWORD='repl_pass', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE"
  done
}
caught_up() {
  local target; target=$(sql "$PORT_MASTER" "SELECT @@gtid_binlog_pos")
  for r in $PORT_REPLICA1 $PORT_REPLICA2; do sql "$r" "SELECT MASTER_GTID_WAIT('$target', 300)" >/dev/null; done
}
proxy_counter() { curl -s "http://127.0.0.1:$METRICS_PORT/metrics" | awk -v n="$1" '$1==n {print int($2)}'; }
native_counter() { sql "$PORT_MASTER" "SHOW GLOBAL STATUS LIKE '$1'" | awk '{print $2}'; }

configure() {   # configure native_after_commit|native_after_sync|proxy -> sets TARGET_PORT
  case $1 in
    native_after_commit|native_after_sync)
      local point=AFTER_COMMIT; [ "$1" = native_after_sync ] && point=AFTER_SYNC
      sql "$PORT_MASTER" "SET GLOBAL rpl_semi_sync_master_wait_point=$point; SET GLOBAL rpl_semi_sync_master_enabled=ON"
      point_replicas "$PORT_MASTER"; TARGET_PORT=$PORT_MASTER
      for _ in $(seq 1 100); do [ "$(native_counter Rpl_semi_sync_master_clients)" = 2 ] && break; sleep 0.1; done ;;
    proxy)
      sql "$PORT_MASTER" "SET GLOBAL rpl_semi_sync_master_enabled=OFF"
      point_replicas "$PORT_PROXY"; TARGET_PORT=$PORT_PROXY
      for _ in $(seq 1 100); do [ "$(proxy_counter semisync_master_clients)" = 2 ] && break; sleep 0.1; done ;;
  esac
}

# Warm-up, not recorded: the proxy's JIT compiles its hot paths for a minute after start (C2 still took ~10 % of
# the proxy's CPU 40 s in), and the master's buffer pool fills; without it the first cells measure a cold proxy.
for config in native_after_commit proxy; do
  configure "$config"
  sb oltp_write_only "$TARGET_PORT" 8 "$WARMUP_SECONDS" "$WORK_DIR/warmup_$config.txt"
done

for pass in $(seq 1 "$PASSES"); do
for test in $TESTS; do
  for threads in $THREADS; do
    for config in native_after_commit proxy native_after_sync; do
      configure "$config"
      caught_up
      if [ "$config" = proxy ]; then
        y0=$(proxy_counter semisync_master_yes_tx_total); n0=$(proxy_counter semisync_master_no_tx_total)
      else
        y0=$(native_counter Rpl_semi_sync_master_yes_tx); n0=$(native_counter Rpl_semi_sync_master_no_tx)
      fi
      file="$OUT/${test}_t${threads}_${config}_run${pass}.txt"
      read -r c0_master c0_replicas c0_proxy <<<"$(cpu_snapshot)"
      sb "$test" "$TARGET_PORT" "$threads" "$SECONDS_PER_CELL" "$file"
      sed -i -E 's/\|[* ]+ ([0-9]+)$/| \1/' "$file"   # the histogram's bars: only the counts are read
      read -r c1_master c1_replicas c1_proxy <<<"$(cpu_snapshot)"
      txns=$(awk '/transactions:/ {print $2}' "$file")
      # the proxy tails the master's binlog in every configuration; it serves the replicas only in "proxy"
      awk -v t="$txns" -v hz="$CLK_TCK" -v m=$((c1_master - c0_master)) -v r=$((c1_replicas - c0_replicas)) \
        -v p=$((c1_proxy - c0_proxy)) 'BEGIN { u = 1e6 / hz / (t > 0 ? t : 1);
          printf "cpu_us_per_tx master=%.0f replicas=%.0f proxy=%.0f\n", m * u, r * u, p * u }' >>"$file"
      if [ "$config" = proxy ]; then
        y1=$(proxy_counter semisync_master_yes_tx_total); n1=$(proxy_counter semisync_master_no_tx_total)
      else
        y1=$(native_counter Rpl_semi_sync_master_yes_tx); n1=$(native_counter Rpl_semi_sync_master_no_tx)
      fi
      echo "semi-sync yes_tx +$((y1 - y0)) no_tx +$((n1 - n0))" >>"$file"
      echo "perf: pass $pass $test t=$threads $config: $(grep -E 'transactions:' "$file" | xargs) yes_tx +$((y1 - y0)) no_tx +$((n1 - n0))"
    done
  done
done
done
{
  echo "# Semi-sync: proxy vs native (MariaDB 10.11 master, 2 replicas)"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(/usr/sbin/mariadbd --version | awk '{print $3}'),"
  echo "$(sysbench --version), ${SECONDS_PER_CELL}s per cell, $PASSES passes, configurations interleaved per cell. Raw files (with"
  echo "the yes_tx/no_tx increase of each run) beside this one."
  echo
  python3 "$PERF_ROOT/sysbench/summarize.py" "$OUT" native_after_commit proxy native_after_sync
} >"$OUT/RESULTS.md"
cat "$OUT/RESULTS.md"
