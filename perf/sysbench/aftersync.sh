#!/usr/bin/env bash
# Reads in AFTER_SYNC (issue #11): oltp_read_only, oltp_read_write and oltp_point_select at 1/8/32 threads through the
# proxy with rpl_semi_sync_master_wait_point=AFTER_SYNC, through the proxy with AFTER_COMMIT, against the master's own
# plugin in AFTER_SYNC directly (the baseline) and behind haproxy (the floor), interleaved, two semi-sync replicas.
# Per cell also the proxy's held reads (semisync_reads_held_total) and position probes. A thin wrapper around
# semisync.sh (same options; later ones win):
#   perf/sysbench/aftersync.sh [--seconds 15] [--threads "1 8 32"] [--passes 1] [--warmup 30] ...
# Raw outputs and RESULTS.md go to perf/results/aftersync/.
set -euo pipefail
PERF_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RESULTS_ROOT="${PERF_RESULTS:-$PERF_ROOT/results}"
exec "$PERF_ROOT/sysbench/semisync.sh" --tests "oltp_read_only oltp_read_write oltp_point_select" \
  --threads "1 8 32" --configs "native_after_sync proxy_after_sync proxy_after_commit floor_after_sync" \
  --warmup-test oltp_read_write --out "$RESULTS_ROOT/aftersync" \
  --title "Reads in AFTER_SYNC: proxy (AFTER_SYNC, AFTER_COMMIT) vs the plugin's AFTER_SYNC, direct and behind haproxy" \
  "$@"
