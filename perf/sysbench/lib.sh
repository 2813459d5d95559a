#!/usr/bin/env bash
# Shared helpers of the sysbench scripts: a throw-away Debian mariadbd, the proxy, free ports, clean-up.
set -euo pipefail

PERF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$PERF_ROOT/.." && pwd)"
RESULTS_ROOT="${PERF_RESULTS:-$PERF_ROOT/results}"   # PERF_RESULTS: write the results elsewhere (trial runs)
WORK_DIR="$(mktemp -d /tmp/semisync-perf.XXXXXX)"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK_DIR"
}
trap cleanup EXIT

need_tools() {
  local missing=()
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  command -v mariadb >/dev/null 2>&1 || missing+=(mariadb-client)
  command -v sysbench >/dev/null 2>&1 || missing+=(sysbench)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "perf: installing ${missing[*]} with apt-get (needs root)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_mariadb NAME SERVER_ID [extra mariadbd options...] -> sets PORT_<NAME>
start_mariadb() {
  local name=$1 id=$2; shift 2
  local dir="$WORK_DIR/$name" port
  port=$(free_port)
  mkdir -p "$dir/data"
  mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
    --auth-root-authentication-method=normal >"$dir/install.log" 2>&1
  /usr/sbin/mariadbd --no-defaults --datadir="$dir/data" --user="$(id -un)" --port="$port" \
    --bind-address=127.0.0.1 --socket="$dir/sock" --pid-file="$dir/pid" --log-error="$dir/error.log" \
    --server-id="$id" --log-bin=mysql-bin --binlog-format=ROW --sync-binlog=1 \
    --innodb-flush-log-at-trx-commit=1 --innodb-buffer-pool-size=256M --max-connections=500 \
    --skip-name-resolve "$@" >/dev/null 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 600); do   # up to 2 minutes: five servers starting on a loaded 2-core machine took over 20 s
    mariadb --no-defaults -uroot -h127.0.0.1 -P"$port" -e 'select 1' >/dev/null 2>&1 && break
    sleep 0.2
  done
  mariadb --no-defaults -uroot -h127.0.0.1 -P"$port" -e "
    SET sql_log_bin=0;
    CREATE USER IF NOT EXISTS 'sbtest'@'%' IDENTIFIED BY 'sbtest_pass'; GRANT ALL ON *.* TO 'sbtest'@'%';
    CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'repl_pass';
    GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'%';
    CREATE DATABASE IF NOT EXISTS sbtest;"
  printf -v "PORT_${name^^}" '%s' "$port"
}

# start_proxy MASTER_PORT [extra proxy options...] -> sets PORT_PROXY
start_proxy() {
  local master=$1; shift
  local jar="${SEMISYNC_PROXY_JAR:-$REPO_ROOT/proxy/target/semisync-proxy.jar}"   # another build to compare
  [ -f "$jar" ] || (cd "$REPO_ROOT" && mvn -B -q -DskipTests -pl proxy -am package)
  PORT_PROXY=$(free_port)
  # SEMISYNC_PROXY_GC: the collector and heap. G1 (the JVM's default on 2+ cores): side by side with ParallelGC it
  # paused a third as long in all (perf/results/gc/). SEMISYNC_PROXY_JAVA_OPTS: anything else.
  java ${SEMISYNC_PROXY_JAVA_OPTS:-} ${SEMISYNC_PROXY_GC:--XX:+UseG1GC -Xms512m -Xmx512m} -jar "$jar" run --master "127.0.0.1:$master" \
    --listen "127.0.0.1:$PORT_PROXY" "$@" >"$WORK_DIR/proxy.out" 2>"$WORK_DIR/proxy.err" &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    grep -q '^ready: listening on' "$WORK_DIR/proxy.out" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "perf: the proxy did not start: $(cat "$WORK_DIR/proxy.err")" >&2
  return 1
}

# start_haproxy BACKEND_PORT -> sets PORT_HAPROXY and HAPROXY_PID: Debian's haproxy in TCP mode on 127.0.0.1 in front
# of one server, for clients and replicas alike (the "floor": what any TCP proxy in both paths costs). One process
# (-db: foreground, no master-worker), its default threads (one per core); timeouts long enough for idle dumps.
start_haproxy() {
  local backend=$1 haproxy=/usr/sbin/haproxy
  [ -x "$haproxy" ] || haproxy=$(command -v haproxy || true)
  if [ -z "$haproxy" ]; then
    echo "perf: installing haproxy with apt-get (needs root)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
    haproxy=/usr/sbin/haproxy
  fi
  PORT_HAPROXY=$(free_port)
  cat >"$WORK_DIR/haproxy.cfg" <<CFG
global
    maxconn 4000
defaults
    mode tcp
    timeout connect 5s
    timeout client 1h
    timeout server 1h
frontend mysql
    bind 127.0.0.1:$PORT_HAPROXY
    default_backend master
backend master
    server master 127.0.0.1:$backend
CFG
  "$haproxy" -db -f "$WORK_DIR/haproxy.cfg" >"$WORK_DIR/haproxy.out" 2>&1 &
  HAPROXY_PID=$!
  PIDS+=("$HAPROXY_PID")
  for _ in $(seq 1 50); do
    # listening? (/proc/net/tcp: local address 0100007F:PORT in hex, state 0A; no test connection, which the master
    # would count as an aborted connect)
    grep -qi ":$(printf '%04X' "$PORT_HAPROXY") 00000000:0000 0A" /proc/net/tcp && return 0
    sleep 0.1
  done
  echo "perf: haproxy did not start: $(cat "$WORK_DIR/haproxy.out")" >&2
  return 1
}

# cpu_ticks PID: CPU time (user + system, clock ticks) of a process and all its threads so far; 0 without a PID
cpu_ticks() {
  if [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ]; then sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
  else echo 0; fi
}

# sql PORT STATEMENTS: as root, tab-separated rows without a header
sql() { mariadb --no-defaults -uroot -h127.0.0.1 -P"$1" -N -e "$2"; }

# replicate_from REPLICA_PORT SOURCE_PORT: the replica (re)starts replicating from the source on 127.0.0.1, by GTID
# from its own slave_pos, as the repl user
replicate_from() {
  sql "$1" "STOP SLAVE; CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$2, MASTER_USER='repl',
    MASTER_PASSWORD='repl_pass', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE"
}

# sb TEST PORT THREADS SECONDS OUTFILE [run|prepare|cleanup]
sb() {
  local test=$1 port=$2 threads=$3 seconds=$4 out=$5 action=${6:-run}
  sysbench "$test" --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$port" --mysql-user=sbtest \
    --mysql-password=sbtest_pass --mysql-db=sbtest --mysql-ssl=off --tables="${SB_TABLES:-4}" \
    --table-size="${SB_TABLE_SIZE:-10000}" --threads="$threads" --time="$seconds" --report-interval=0 \
    --percentile=99 --histogram="${SB_HISTOGRAM:-off}" "$action" >"$out" 2>&1
}
