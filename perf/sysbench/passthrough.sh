#!/usr/bin/env bash
# Pass-through overhead: sysbench oltp_point_select and oltp_read_only at 1/8/32 threads, direct to a Debian
# MariaDB 10.11 master vs through the proxy, interleaved (direct/proxy order alternates per pass).
#   perf/sysbench/passthrough.sh [--seconds 20] [--passes 2]
# Raw outputs and RESULTS.md go to perf/results/passthrough/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SECONDS_PER_CELL=20
PASSES=2
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) SECONDS_PER_CELL=$2; shift 2 ;;
    --passes) PASSES=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds N] [--passes N]" >&2; exit 2 ;;
  esac
done

OUT="$RESULTS_ROOT/passthrough"
mkdir -p "$OUT"
rm -f "$OUT"/*.txt
need_tools
start_mariadb master 1
start_proxy "$PORT_MASTER"
echo "perf: master 127.0.0.1:$PORT_MASTER, proxy 127.0.0.1:$PORT_PROXY, $PASSES passes x ${SECONDS_PER_CELL}s"
sb oltp_read_only "$PORT_MASTER" 4 0 "$WORK_DIR/prepare.txt" prepare
sb oltp_point_select "$PORT_PROXY" 8 5 "$WORK_DIR/warmup.txt"

for pass in $(seq 1 "$PASSES"); do
  if [ $((pass % 2)) -eq 1 ]; then order="direct proxy"; else order="proxy direct"; fi
  for test in oltp_point_select oltp_read_only; do
    for threads in 1 8 32; do
      for target in $order; do
        port=$PORT_MASTER; [ "$target" = proxy ] && port=$PORT_PROXY
        file="$OUT/${test}_t${threads}_${target}_run${pass}.txt"
        sb "$test" "$port" "$threads" "$SECONDS_PER_CELL" "$file"
        echo "perf: $test t=$threads $target pass $pass: $(grep -E 'transactions:' "$file" | xargs)"
      done
    done
  done
done
{
  echo "# Pass-through: direct vs proxy"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(/usr/sbin/mariadbd --version | awk '{print $3}'),"
  echo "$(sysbench --version), ${SECONDS_PER_CELL}s per cell, $PASSES passes, interleaved. Raw files beside this one."
  echo
  python3 "$PERF_ROOT/sysbench/summarize.py" "$OUT" direct proxy
} >"$OUT/RESULTS.md"
cat "$OUT/RESULTS.md"
