#!/usr/bin/env bash
# A real local Redis Cluster for tests: 3 masters + 3 replicas of Debian's redis-server on
# 127.0.0.1:7000-7005, joined by `redis-cli --cluster create --cluster-replicas 1`.
#
#   bash scripts/redis-cluster.sh up       # idempotent; restarts missing nodes (they rejoin)
#   bash scripts/redis-cluster.sh down     # stops only the nodes this script started; drops their state
#   bash scripts/redis-cluster.sh status   # exit 0 when every node answers and cluster_state is ok
#   bash scripts/redis-cluster.sh nodes    # prints host:port,… for REDIS_CLUSTER_NODES
#
# Env: REDIS_CLUSTER_PORT (first port, 7000), REDIS_CLUSTER_MASTERS (3), REDIS_CLUSTER_REPLICAS (1),
#      REDIS_CLUSTER_NODE_TIMEOUT (cluster-node-timeout ms, 2000: a dead master fails over in ~3 s),
#      IMGATE_STATE (/tmp/imgate-services), REDIS_CLUSTER_START_TIMEOUT (30 s).
set -euo pipefail

HOST=127.0.0.1
FIRST="${REDIS_CLUSTER_PORT:-7000}"
MASTERS="${REDIS_CLUSTER_MASTERS:-3}"
REPLICAS="${REDIS_CLUSTER_REPLICAS:-1}"
NODE_TIMEOUT="${REDIS_CLUSTER_NODE_TIMEOUT:-2000}"
START_TIMEOUT="${REDIS_CLUSTER_START_TIMEOUT:-30}"
STATE="${IMGATE_STATE:-/tmp/imgate-services}/redis-cluster-$FIRST"
COUNT=$((MASTERS * (1 + REPLICAS)))
PORTS=()
for ((i = 0; i < COUNT; i++)); do PORTS+=($((FIRST + i))); done

say() { echo "redis-cluster: $*"; }
die() { echo "redis-cluster: error: $*" >&2; exit 1; }

cli() { timeout 5 redis-cli -h "$HOST" -p "$1" "${@:2}" 2>/dev/null; }
answers() { [[ $(cli "$1" PING) == PONG ]]; }
info_field() { cli "$1" CLUSTER INFO | tr -d '\r' | sed -n "s/^$2://p"; }
nodes_list() { local IFS=,; local a=(); for p in "${PORTS[@]}"; do a+=("$HOST:$p"); done; echo "${a[*]}"; }

# The pid from the node's pid file, if that process is still the redis-server we started.
owned_pid() {
  local f="$STATE/$1/redis.pid" pid
  [[ -s $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/comm ]] || return 1
  [[ $(<"/proc/$pid/comm") == redis-server* ]] || return 1
  echo "$pid"
}

ensure_redis_server() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return
  [[ $EUID -eq 0 ]] || die "redis-server is missing; install Debian's redis-server package"
  say "installing redis-server (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null >/dev/null
  apt-get install -y -qq redis-server </dev/null >/dev/null
}

start_node() {
  local port=$1 dir="$STATE/$1"
  mkdir -p "$dir"
  # No persistence (a restarted node comes back empty, like a lost one); nodes.conf keeps its
  # identity so it rejoins. 9>&- keeps our lock from living on in the daemon.
  redis-server --daemonize yes --bind "$HOST" --port "$port" --save "" --appendonly no \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout "$NODE_TIMEOUT" \
    --dir "$dir" --logfile "$dir/redis.log" --pidfile "$dir/redis.pid" </dev/null 9>&- \
    || die "redis-server on port $port failed to start; log: $dir/redis.log"
}

all_ok() {
  local p
  for p in "${PORTS[@]}"; do
    answers "$p" || return 1
    [[ $(info_field "$p" cluster_state) == ok ]] || return 1
    [[ $(info_field "$p" cluster_known_nodes) == "$COUNT" ]] || return 1
  done
}

up() {
  if all_ok; then
    say "already running at $(nodes_list)"
    return
  fi
  ensure_redis_server
  local p ours=0 foreign=()
  for p in "${PORTS[@]}"; do
    if owned_pid "$p" >/dev/null; then ours=$((ours + 1)); elif answers "$p"; then foreign+=("$p"); fi
  done
  ((${#foreign[@]} == 0)) || die "ports ${foreign[*]} answer but were not started by this script; set REDIS_CLUSTER_PORT"
  # None of ours alive: a fresh cluster. Some alive: restart the missing ones, which rejoin.
  if ((ours == 0)); then rm -rf "$STATE"; fi
  mkdir -p "$STATE"
  local started=$SECONDS
  for p in "${PORTS[@]}"; do
    owned_pid "$p" >/dev/null || start_node "$p"
  done
  local deadline=$((SECONDS + START_TIMEOUT))
  for p in "${PORTS[@]}"; do
    until answers "$p"; do
      ((SECONDS < deadline)) || die "port $p does not answer; log: $STATE/$p/redis.log"
      sleep 0.1
    done
  done
  if [[ $(info_field "$FIRST" cluster_slots_assigned) != 16384 ]]; then
    local addrs=()
    for p in "${PORTS[@]}"; do addrs+=("$HOST:$p"); done
    redis-cli --cluster create "${addrs[@]}" --cluster-replicas "$REPLICAS" --cluster-yes >"$STATE/create.log" 2>&1 \
      || { cat "$STATE/create.log" >&2; die "redis-cli --cluster create failed"; }
  fi
  until all_ok; do
    if ((SECONDS >= deadline)); then
      for p in "${PORTS[@]}"; do echo "  $p: state=$(info_field "$p" cluster_state) known=$(info_field "$p" cluster_known_nodes)" >&2; done
      die "cluster not ok after ${START_TIMEOUT} s; try 'down' then 'up'"
    fi
    sleep 0.2
  done
  say "up in $((SECONDS - started)) s: $MASTERS masters + $((COUNT - MASTERS)) replicas at $(nodes_list)"
}

down() {
  local p pid stopped=0
  for p in "${PORTS[@]}"; do
    if pid=$(owned_pid "$p"); then
      kill -TERM "$pid" 2>/dev/null || true
      stopped=$((stopped + 1))
    fi
  done
  local deadline=$((SECONDS + 20))
  for p in "${PORTS[@]}"; do
    while pid=$(owned_pid "$p") && ((SECONDS < deadline)); do sleep 0.1; done
    if pid=$(owned_pid "$p"); then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$STATE"
  say "stopped $stopped nodes"
}

status() {
  local p rc=0 role
  for p in "${PORTS[@]}"; do
    if answers "$p"; then
      role=$(cli "$p" ROLE | head -n 1)
      say "$HOST:$p $role state=$(info_field "$p" cluster_state)"
    else
      say "$HOST:$p not answering"
      rc=3
    fi
  done
  ((rc == 0)) && all_ok || rc=3
  return "$rc"
}

cmd="${1:-}"
case "$cmd" in
  up | down | status)
    mkdir -p "$(dirname "$STATE")"
    # One up/down at a time per cluster; a bounded wait, never a hang.
    exec 9>"$STATE.lock"
    flock -w 120 9 || die "another redis-cluster.sh holds $STATE.lock"
    "$cmd"
    ;;
  nodes)
    nodes_list
    ;;
  *)
    echo "usage: $0 up|down|status|nodes" >&2
    exit 2
    ;;
esac
