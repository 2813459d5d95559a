#!/usr/bin/env bash
# Proxy semi-sync vs the master's native semi-sync and vs "the floor" (native semi-sync with haproxy in both paths),
# Debian MariaDB 10.11, N replicas.
#   perf/sysbench/semisync.sh [--seconds 15] [--threads "1 8 32 64"] [--tests "oltp_insert oltp_write_only"]
#       [--passes 1] [--warmup 180] [--replicas 2] [--configs "native_after_commit proxy floor"] [--out DIR]
#       [--warmup-test "TESTS" (default: the tests of the run)] [--title TEXT] [--jfr DIR]
# Configurations (interleaved: each cell runs them back to back, in the order given; the first is the baseline):
#   native_after_commit, native_after_sync   the master's own plugin, clients and replicas connect to the master
#   floor, floor_after_sync                  the same plugin, clients and replicas connect through haproxy (TCP mode)
#   proxy (= proxy_after_commit), proxy_after_sync   the master's plugin OFF, clients and replicas through the proxy
# Per cell: sysbench's output, the CPU time per transaction of the master, the replicas, the proxy, haproxy and
# sysbench itself (/proc/<pid>/stat, bash's `times` for sysbench), the semi-sync counters' increase (yes_tx/no_tx,
# the ACKs the replicas sent;
# for the proxy also held reads and position probes). --jfr DIR: a JFR recording (settings=profile) of the proxy during
# each proxy cell, DIR/<cell>.jfr (jcmd attaches outside the measured window; the profile costs the proxy some CPU). Raw outputs and RESULTS.md go to perf/results/semisync/ (--out).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SECONDS_PER_CELL=15
THREADS="1 8"
TESTS="oltp_insert oltp_write_only"
PASSES=1
REPLICAS=2
CONFIGS="native_after_commit proxy floor"
OUT="$RESULTS_ROOT/semisync"
WARMUP_TEST=""   # default: every test of the run
TITLE="Semi-sync: proxy vs native vs the floor (haproxy)"
export SB_HISTOGRAM=on   # p95 comes from sysbench's latency histogram (it prints one percentile, p99 here)
WARMUP_SECONDS=180
JFR_DIR=""
CLK_TCK=$(getconf CLK_TCK)
usage() {
  echo "usage: $0 [--seconds N] [--threads LIST] [--tests LIST] [--passes N] [--warmup SECONDS] [--replicas N]" \
    "[--configs LIST] [--out DIR] [--warmup-test TEST] [--title TEXT] [--jfr DIR]" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) SECONDS_PER_CELL=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --tests) TESTS=$2; shift 2 ;;
    --passes) PASSES=$2; shift 2 ;;
    --warmup) WARMUP_SECONDS=$2; shift 2 ;;
    --replicas) REPLICAS=$2; shift 2 ;;
    --configs) CONFIGS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --warmup-test) WARMUP_TEST=$2; shift 2 ;;
    --title) TITLE=$2; shift 2 ;;
    --jfr) JFR_DIR=$2; shift 2 ;;
    *) usage ;;
  esac
done
for config in $CONFIGS; do
  case $config in
    native_after_commit|native_after_sync|floor|floor_after_sync|proxy|proxy_after_commit|proxy_after_sync) ;;
    *) echo "perf: unknown configuration $config" >&2; usage ;;
  esac
done

mkdir -p "$OUT"
rm -f "$OUT"/*.txt
need_tools

start_mariadb master 1
MASTER_PID=${PIDS[-1]}
REPLICA_PORTS=(); REPLICA_PIDS=()
for i in $(seq 1 "$REPLICAS"); do
  start_mariadb "replica$i" $((i + 1)) --rpl-semi-sync-slave-enabled=ON --read-only=1
  port_var="PORT_REPLICA$i"
  REPLICA_PORTS+=("${!port_var}"); REPLICA_PIDS+=("${PIDS[-1]}")
done
METRICS_PORT=$(free_port)
start_proxy "$PORT_MASTER" --replication-user repl --replication-password repl_pass --timeout 10000 \
  --metrics "127.0.0.1:$METRICS_PORT"
PROXY_PID=${PIDS[-1]}
HAPROXY_PID=""
case " $CONFIGS " in *" floor"*) start_haproxy "$PORT_MASTER" ;; esac
echo "perf: master $PORT_MASTER, replicas ${REPLICA_PORTS[*]}, proxy $PORT_PROXY, haproxy ${PORT_HAPROXY:--}," \
  "configs: $CONFIGS"

sysbench_ticks() {   # CPU time of the shell's reaped children (sysbench) so far, in clock ticks, as of snapshot_times
  tail -1 "$WORK_DIR/times.txt" | awk -v hz="$CLK_TCK" '{
    t = 0
    for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] }
    printf "%d", t * hz }'
}
snapshot_times() { times >"$WORK_DIR/times.txt"; }   # in the main shell: a subshell's `times` counts its own children
cpu_snapshot() {   # master replicas proxy haproxy (clock ticks)
  local replicas=0 pid
  for pid in "${REPLICA_PIDS[@]}"; do replicas=$((replicas + $(cpu_ticks "$pid"))); done
  echo "$(cpu_ticks "$MASTER_PID") $replicas $(cpu_ticks "$PROXY_PID") $(cpu_ticks "$HAPROXY_PID")"
}
# replicas start at the master's position before the tables are prepared, so they replicate them
START=$(sql "$PORT_MASTER" "SELECT @@gtid_binlog_pos")
for r in "${REPLICA_PORTS[@]}"; do sql "$r" "SET GLOBAL gtid_slave_pos='$START'"; done
sb oltp_write_only "$PORT_MASTER" 4 0 "$WORK_DIR/prepare.txt" prepare
sql "$PORT_MASTER" "CREATE TABLE sbtest.prime (id INT PRIMARY KEY, n INT NOT NULL)"

SOURCE_PORT=""
point_replicas() {   # point_replicas PORT (nothing to do when they already replicate from it)
  [ "$SOURCE_PORT" = "$1" ] && return 0
  for r in "${REPLICA_PORTS[@]}"; do
    replicate_from "$r" "$1"
  done
  SOURCE_PORT=$1
}
caught_up() {
  local target; target=$(sql "$PORT_MASTER" "SELECT @@gtid_binlog_pos")
  for r in "${REPLICA_PORTS[@]}"; do sql "$r" "SELECT MASTER_GTID_WAIT('$target', 300)" >/dev/null; done
}
proxy_metrics() { curl -s "http://127.0.0.1:$METRICS_PORT/metrics"; }
proxy_counter() { proxy_metrics | awk -v n="$1" '$1==n {print int($2)}'; }
global_status() { sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" | awk '{print $2}'; }   # PORT NAME
native_counter() { global_status "$PORT_MASTER" "$1"; }
replica_acks() {   # ACKs the replicas sent, all together (the replica plugin's Rpl_semi_sync_slave_send_ack)
  local r v sum=0
  for r in "${REPLICA_PORTS[@]}"; do
    v=$(global_status "$r" Rpl_semi_sync_slave_send_ack)
    sum=$((sum + ${v:-0}))   # a server without the counter (before MariaDB 10.3) counts none
  done
  echo "$sum"
}
counters() {   # CONFIG -> "yes_tx no_tx reads_held probes_sent" ("-" where the configuration has none)
  case $1 in
    proxy*) proxy_metrics | awk '
        $1 == "semisync_master_yes_tx_total" {y = int($2)} $1 == "semisync_master_no_tx_total" {n = int($2)}
        $1 == "semisync_reads_held_total" {h = int($2)} $1 == "semisync_probes_sent_total" {p = int($2)}
        END {print y + 0, n + 0, h + 0, p + 0}' ;;
    *) echo "$(native_counter Rpl_semi_sync_master_yes_tx) $(native_counter Rpl_semi_sync_master_no_tx) - -" ;;
  esac
}

configure() {   # configure CONFIG -> sets TARGET_PORT
  case $1 in
    native_*|floor*)
      local point=AFTER_COMMIT port=$PORT_MASTER
      case $1 in *after_sync) point=AFTER_SYNC ;; esac
      case $1 in floor*) port=$PORT_HAPROXY ;; esac
      # the plugin counts only replicas that connected while it was ON: coming from the proxy, they reconnect anyway
      sql "$PORT_MASTER" "SET GLOBAL rpl_semi_sync_master_wait_point=$point; SET GLOBAL rpl_semi_sync_master_enabled=ON"
      point_replicas "$port"; TARGET_PORT=$port
      for _ in $(seq 1 100); do [ "$(native_counter Rpl_semi_sync_master_clients)" = "$REPLICAS" ] && break; sleep 0.1; done ;;
    proxy*)
      local point=AFTER_COMMIT
      [ "$1" = proxy_after_sync ] && point=AFTER_SYNC
      sql "$PORT_MASTER" "SET GLOBAL rpl_semi_sync_master_enabled=OFF"
      sql "$PORT_PROXY" "SET GLOBAL rpl_semi_sync_master_wait_point=$point"   # the proxy's, as the plugin's would be
      point_replicas "$PORT_PROXY"; TARGET_PORT=$PORT_PROXY
      for _ in $(seq 1 100); do [ "$(proxy_counter semisync_master_clients)" = "$REPLICAS" ] && break; sleep 0.1; done
      # One commit through the proxy, so that the quorum has acknowledged the master's current end: the replicas
      # have just (re)connected up to date and ACK nothing until the next transaction, and in AFTER_SYNC every read
      # whose probe position lies past the last ACK (the native cells' writes) is held until a write is ACKed or
      # the timeout (seen: a read-only cell held every read for the 10 s timeout).
      sql "$PORT_PROXY" "INSERT INTO sbtest.prime VALUES (1, 1) ON DUPLICATE KEY UPDATE n = n + 1" ;;
  esac
}

# Warm-up, not recorded: the proxy's JIT compiles its hot paths for minutes after start under this load, and the
# master's buffer pool fills; without it the first cells measure a cold proxy. With 30 s (the default until
# 2026-12-02) the proxy's CPU per transaction in a recheck fell 1216 -> 928 -> 673 us over three passes of one cell;
# with 180 s the first cell still showed 429 then 223 us.
# The proxy's configurations get --warmup seconds, the others a third of it, split over the tests at 1 and 8 threads:
# a warm-up at 8 threads only left the first 1-thread cell with C2 compiling (424 against 197 µs of proxy CPU per
# transaction in the second pass of the same run).
for config in $CONFIGS; do
  seconds=$WARMUP_SECONDS
  case $config in proxy*) ;; *) seconds=$(( (WARMUP_SECONDS + 2) / 3 )) ;; esac
  [ "$seconds" -gt 0 ] || continue
  configure "$config"
  warm_tests=${WARMUP_TEST:-$TESTS}
  parts=$(( $(wc -w <<<"$warm_tests") * 2 ))
  each=$(( (seconds + parts - 1) / parts ))
  [ "$each" -ge 3 ] || each=3
  for t in $warm_tests; do
    for th in 1 8; do
      sb "$t" "$TARGET_PORT" "$th" "$each" "$WORK_DIR/warmup_${config}_${t}_t$th.txt"
    done
  done
done

for pass in $(seq 1 "$PASSES"); do
for test in $TESTS; do
  for threads in $THREADS; do
    for config in $CONFIGS; do
      configure "$config"
      caught_up
      read -r y0 n0 h0 p0 <<<"$(counters "$config")"
      a0=$(replica_acks)
      file="$OUT/${test}_t${threads}_${config}_run${pass}.txt"
      jfr=""
      case $config in proxy*) [ -n "$JFR_DIR" ] && jfr="$JFR_DIR/${test}_t${threads}_${config}_run${pass}.jfr" ;; esac
      if [ -n "$jfr" ]; then mkdir -p "$JFR_DIR"; jcmd "$PROXY_PID" JFR.start name=cell settings=profile >/dev/null; fi
      read -r c0_master c0_replicas c0_proxy c0_haproxy <<<"$(cpu_snapshot)"
      snapshot_times; c0_sb=$(sysbench_ticks)
      sb "$test" "$TARGET_PORT" "$threads" "$SECONDS_PER_CELL" "$file"
      snapshot_times; c1_sb=$(sysbench_ticks)
      read -r c1_master c1_replicas c1_proxy c1_haproxy <<<"$(cpu_snapshot)"
      [ -z "$jfr" ] || jcmd "$PROXY_PID" JFR.stop name=cell filename="$jfr" >/dev/null
      sed -i -E 's/\|[* ]+ ([0-9]+)$/| \1/' "$file"   # the histogram's bars: only the counts are read
      read -r y1 n1 h1 p1 <<<"$(counters "$config")"
      # The replicas apply on after the cell: a configuration that commits faster leaves more of its transactions to
      # be applied later. Their CPU counts until they applied everything the cell committed (the next cell's
      # caught_up would otherwise do that work uncounted); their CPU during the cell alone stays in the raw file.
      applied0=$(date +%s%N)
      caught_up
      applied_ms=$(( ($(date +%s%N) - applied0) / 1000000 ))
      read -r _ c2_replicas _ _ <<<"$(cpu_snapshot)"
      a1=$(replica_acks)   # after caught_up: an ACK follows the receipt of the event that asked for it
      txns=$(awk '/transactions:/ {print $2}' "$file")
      # the proxy tails the master's binlog in every configuration; it serves clients and replicas only in proxy*
      awk -v t="$txns" -v hz="$CLK_TCK" -v m=$((c1_master - c0_master)) -v r=$((c2_replicas - c0_replicas)) \
        -v p=$((c1_proxy - c0_proxy)) -v h=$((c1_haproxy - c0_haproxy)) -v s=$((c1_sb - c0_sb)) \
        -v rc=$((c1_replicas - c0_replicas)) -v am="$applied_ms" \
        'BEGIN { u = 1e6 / hz / (t > 0 ? t : 1);
          printf "cpu_us_per_tx master=%.0f replicas=%.0f proxy=%.0f haproxy=%.0f sysbench=%.0f replicas_in_cell=%.0f\n",
            m * u, r * u, p * u, h * u, s * u, rc * u;
          printf "replicas applied the cell %d ms after it ended\n", am }' >>"$file"
      echo "semi-sync yes_tx +$((y1 - y0)) no_tx +$((n1 - n0)) replica_acks +$((a1 - a0))" >>"$file"
      [ "$h0" = - ] || echo "proxy reads_held +$((h1 - h0)) probes_sent +$((p1 - p0))" >>"$file"
      extra=""; [ "$h0" = - ] || extra=" reads_held +$((h1 - h0)) probes +$((p1 - p0))"
      echo "perf: pass $pass $test t=$threads $config: $(grep -E 'transactions:' "$file" | xargs)" \
        "yes_tx +$((y1 - y0)) no_tx +$((n1 - n0))$extra | $(grep cpu_us_per_tx "$file")"
    done
  done
done
done
{
  echo "# $TITLE"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average at the end of the run (mostly its own) $(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /),"
  echo "$(/usr/sbin/mariadbd --version | awk '{print $3}') master and $REPLICAS semi-sync replicas,"
  echo "$(sysbench --version), ${SECONDS_PER_CELL}s per cell, $PASSES pass(es), configurations interleaved per cell"
  echo "after a warm-up of each (${WARMUP_SECONDS}s for the proxy). Raw files (with the counters of each run) beside this one."
  echo "Command: \`perf/sysbench/$(basename "$0") --seconds $SECONDS_PER_CELL --threads \"$THREADS\" --tests \"$TESTS\""
  echo "--passes $PASSES --warmup $WARMUP_SECONDS --replicas $REPLICAS --configs \"$CONFIGS\"\`"
  echo
  # shellcheck disable=SC2086
  python3 "$PERF_ROOT/sysbench/summarize.py" "$OUT" $CONFIGS
} >"$OUT/RESULTS.md"
cat "$OUT/RESULTS.md"
