#!/usr/bin/env bash
# Reproduction (found by aftersync.sh, 2026-12-01): with rpl_semi_sync_master_wait_point=AFTER_SYNC, a replica that
# connects to the proxy already up to date ACKs nothing until the next transaction, so the proxy has no acknowledged
# position for the master's current end; the first read through the proxy is then held for the whole timeout, semi-sync
# switches OFF (no_times +1), and stays OFF until a write through the proxy is ACKed. The plugin holds no reads at all.
# Fixed the same day (the master's dump for a replica heartbeats every 250 ms; the heartbeat's position counts as
# acknowledged): every SELECT now takes ~0.1 s (the mariadb CLI's start), status 1, no_times 0, no read held.
# Before the fix: the first SELECT took the timeout (5 s here), status 0, no_times 1.
#   perf/sysbench/repro-aftersync-idle.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_tools
start_mariadb master 1
start_mariadb replica1 2 --rpl-semi-sync-slave-enabled=ON --read-only=1
MP=$(free_port)
start_proxy "$PORT_MASTER" --replication-user repl --replication-password repl_pass --timeout 5000 \
  --wait-point after_sync --metrics "127.0.0.1:$MP"
sql "$PORT_REPLICA1" "SET GLOBAL gtid_slave_pos='$(sql "$PORT_MASTER" 'SELECT @@gtid_binlog_pos')'"
sql "$PORT_MASTER" "CREATE TABLE sbtest.t (id INT PRIMARY KEY); INSERT INTO sbtest.t VALUES (1)"
change_master() {
  replicate_from "$PORT_REPLICA1" "$1"
  sql "$PORT_REPLICA1" "SELECT MASTER_GTID_WAIT('$(sql "$PORT_MASTER" 'SELECT @@gtid_binlog_pos')', 30)" >/dev/null
}
change_master "$PORT_MASTER"   # up to date, directly from the master
change_master "$PORT_PROXY"    # then through the proxy, with nothing new to ACK
for _ in $(seq 50); do
  [ "$(curl -s "127.0.0.1:$MP/metrics" | awk '$1=="semisync_master_clients" {print int($2)}')" = 1 ] && break
  sleep 0.1
done
metrics() {
  curl -s "127.0.0.1:$MP/metrics" | grep -E '^semisync_(reads_held_total|master_no_times_total|master_status) ' |
    tr '\n' ' '; echo
}
timed() { local a; a=$(date +%s%3N); sql "$PORT_PROXY" "$1" >/dev/null; echo "$1: $(( $(date +%s%3N) - a )) ms"; }
metrics
timed "SELECT * FROM sbtest.t"; metrics
timed "SELECT * FROM sbtest.t"; metrics
timed "INSERT INTO sbtest.t VALUES (2)"
timed "SELECT * FROM sbtest.t"; metrics
