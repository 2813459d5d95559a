#!/usr/bin/env bash
# Proxy variants against the floor, side by side: one proxy process per variant (its own JVM options), all running at
# once on one master with two semi-sync replicas, and the floor (the native plugin behind haproxy). Per cell the
# configurations take turns (variants, then the floor) for --rounds rounds. Each turn reports TPS, p99, CPU per
# transaction of the relay (the proxy or haproxy) and of the master, and how idle the machine was (iowait included).
#
#   perf/sysbench/variants.sh --out DIR [--tests oltp_write_only,oltp_insert] [--threads 1,8,32,64] [--seconds 15]
#                             [--rounds 2] [--warmup 20] 'name=JVM options' ...
#   e.g. perf/sysbench/variants.sh --out perf/results/event-loops '1 loop=-Dsemisync.eventLoops=1' \
#            '2 loops=-Dsemisync.eventLoops=2'
source "$(dirname "$0")/lib.sh"

TESTS=oltp_write_only,oltp_insert THREADS=1,8,32,64 SECONDS_PER_TURN=15 ROUNDS=2 WARMUP=20 OUT=""
VARIANTS=()
while [ $# -gt 0 ]; do
  case $1 in
    --tests) TESTS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --seconds) SECONDS_PER_TURN=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --*) echo "variants.sh: unknown option $1" >&2; exit 2 ;;
    *=*) VARIANTS+=("$1"); shift ;;
    *) echo "variants.sh: a variant is name=JVM options, got '$1'" >&2; exit 2 ;;
  esac
done
[ -n "$OUT" ] && [ ${#VARIANTS[@]} -gt 0 ] || { echo "variants.sh: --out DIR and at least one variant" >&2; exit 2; }
need_tools
command -v haproxy >/dev/null 2>&1 || { echo "variants.sh: needs haproxy (apt-get install haproxy)" >&2; exit 2; }
mkdir -p "$OUT"
REPORT="$OUT/variants.txt"

start_mariadb master 1 --plugin-load-add=semisync_master --rpl-semi-sync-master-timeout=10000
start_mariadb replica1 2 --rpl-semi-sync-slave-enabled=ON --read-only=1
start_mariadb replica2 3 --rpl-semi-sync-slave-enabled=ON --read-only=1
REPLICA_PORTS=("$PORT_REPLICA1" "$PORT_REPLICA2")
MASTER_PID=$(cat "$WORK_DIR/master/pid")
# the replicas start before the tables are prepared, so that they replicate them
START=$(sql "$PORT_MASTER" "SELECT @@gtid_binlog_pos")
for r in "${REPLICA_PORTS[@]}"; do sql "$r" "SET GLOBAL gtid_slave_pos='$START'"; done
sb oltp_insert "$PORT_MASTER" 4 0 "$WORK_DIR/prepare.txt" prepare

start_haproxy "$PORT_MASTER"
NAMES=() PROXY_PIDS=() PROXY_PORTS=()
for v in "${VARIANTS[@]}"; do
  SEMISYNC_PROXY_JAVA_OPTS="${v#*=}" start_proxy "$PORT_MASTER" --replication-user repl --replication-password repl_pass \
    --timeout 10000
  NAMES+=("${v%%=*}") PROXY_PIDS+=("${PIDS[-1]}") PROXY_PORTS+=("$PORT_PROXY")
done

point_replicas() {   # PORT
  for r in "${REPLICA_PORTS[@]}"; do
    replicate_from "$r" "$1"
  done
  sleep 1
}
caught_up() {   # a turn starts with both replicas applied up to the master (a lagging one would skew the next turn)
  local target r; target=$(sql "$PORT_MASTER" "SELECT @@gtid_binlog_pos")
  for r in "${REPLICA_PORTS[@]}"; do
    [ "$(sql "$r" "SELECT MASTER_GTID_WAIT('$target', 300)")" = 0 ] || { echo "replica $r did not catch up" >&2; exit 1; }
  done
}
use_variant() { sql "$PORT_MASTER" "SET GLOBAL rpl_semi_sync_master_enabled=OFF"; point_replicas "${PROXY_PORTS[$1]}"; }
use_floor() { sql "$PORT_MASTER" "SET GLOBAL rpl_semi_sync_master_enabled=ON"; point_replicas "$PORT_HAPROXY"; }
busy_idle() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8, $5 + $6}' /proc/stat; }   # non-idle, idle+iowait

turn() {   # NAME RELAY_PID PORT TEST THREADS
  caught_up
  sb "$4" "$3" "$5" 5 "$WORK_DIR/warm.txt" run
  local r0 m0 r1 m1 b0 i0 b1 i1 tps p99
  r0=$(cpu_ticks "$2"); m0=$(cpu_ticks "$MASTER_PID"); read -r b0 i0 < <(busy_idle)
  sb "$4" "$3" "$5" "$SECONDS_PER_TURN" "$WORK_DIR/run.txt" run
  r1=$(cpu_ticks "$2"); m1=$(cpu_ticks "$MASTER_PID"); read -r b1 i1 < <(busy_idle)
  tps=$(grep -o 'transactions:.*' "$WORK_DIR/run.txt" | sed 's/.*(\(.*\) per sec.*/\1/')
  p99=$(grep -o '99th percentile:.*' "$WORK_DIR/run.txt" | awk '{print $3}')
  awk -v n="$1" -v t="$4" -v th="$5" -v tps="$tps" -v p99="$p99" -v s="$SECONDS_PER_TURN" -v r="$((r1 - r0))" \
    -v m="$((m1 - m0))" -v b="$((b1 - b0))" -v i="$((i1 - i0))" 'BEGIN {
      printf "%-16s %-16s %3d  tps %8.1f  p99 %8.2f ms  relay %5.0f us/tx  master %5.0f us/tx  idle %5.1f %%\n",
        t, n, th, tps, p99, r * 10000 / (tps * s), m * 10000 / (tps * s), 100 * i / (b + i) }' | tee -a "$REPORT"
}

{
  echo "# $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git -C "$REPO_ROOT" rev-parse --short HEAD), $(nproc) cores"
  for i in "${!NAMES[@]}"; do echo "# variant '${NAMES[$i]}': ${VARIANTS[$i]#*=}"; done
  echo "# floor: native plugin (AFTER_COMMIT) with haproxy in the client and the replication path"
  echo "# test             configuration    threads  (${SECONDS_PER_TURN} s turns, ${ROUNDS} rounds)"
} | tee "$REPORT"
for test in ${TESTS//,/ }; do
  for threads in ${THREADS//,/ }; do
    for i in "${!NAMES[@]}"; do   # warm every proxy's JIT for this cell, not recorded
      use_variant "$i"; sb "$test" "${PROXY_PORTS[$i]}" "$threads" "$WARMUP" "$WORK_DIR/warm.txt" run
    done
    for _ in $(seq 1 "$ROUNDS"); do
      for i in "${!NAMES[@]}"; do use_variant "$i"; turn "${NAMES[$i]}" "${PROXY_PIDS[$i]}" "${PROXY_PORTS[$i]}" "$test" "$threads"; done
      use_floor; turn floor "$HAPROXY_PID" "$PORT_HAPROXY" "$test" "$threads"
    done
  done
done
