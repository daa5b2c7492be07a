#!/usr/bin/env bash
# Redis for integration tests: reuse one that already answers, otherwise start
# a throwaway redis-server and remember (pid file) that we did, so `down` never
# stops a Redis someone else runs.
#
#   bash scripts/redis.sh up|down|status
#
# Env: REDIS_PORT (6379), IMGATE_STATE (/tmp/imgate-services),
#      REDIS_START_TIMEOUT (20 s), REDIS_STOP_TIMEOUT (20 s).
set -euo pipefail

HOST=127.0.0.1
PORT="${REDIS_PORT:-6379}"
STATE="${IMGATE_STATE:-/tmp/imgate-services}/redis"
PIDFILE="$STATE/redis.pid"
LOGFILE="$STATE/redis.log"
START_TIMEOUT="${REDIS_START_TIMEOUT:-20}"
STOP_TIMEOUT="${REDIS_STOP_TIMEOUT:-20}"

say() { echo "redis: $*"; }
die() { echo "redis: error: $*" >&2; exit 1; }

# Any RESP reply to PING counts (+PONG, or -NOAUTH from a protected server).
answers() {
  # shellcheck disable=SC2016 # expanded by the inner shell
  timeout 2 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "PING\r\n" >&3
    IFS= read -r -t 1 line <&3 || exit 1
    [[ $line == [+-]* ]]
  ' "$HOST" "$PORT" 2>/dev/null
}

# The pid from our pid file, if that process is still the redis-server we started.
owned_pid() {
  [[ -s $PIDFILE ]] || return 1
  local pid
  pid=$(<"$PIDFILE")
  [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/comm ]] || return 1
  [[ $(<"/proc/$pid/comm") == redis-server* ]] || return 1
  echo "$pid"
}

ensure_redis_server() {
  command -v redis-server >/dev/null && return
  [[ $EUID -eq 0 ]] || die "redis-server is missing; install Debian's redis-server package"
  say "installing redis-server (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null >/dev/null
  apt-get install -y -qq redis-server </dev/null >/dev/null
  command -v redis-server >/dev/null || die "apt-get did not provide redis-server"
}

up() {
  local pid
  if answers; then
    if pid=$(owned_pid); then
      say "already running at $HOST:$PORT (started by imgate, pid $pid)"
    else
      say "already running at $HOST:$PORT"
    fi
    return
  fi
  if pid=$(owned_pid); then
    die "our redis-server (pid $pid) is alive but does not answer on $HOST:$PORT; run 'down' first"
  fi
  rm -f "$PIDFILE"
  ensure_redis_server
  mkdir -p "$STATE"
  : >"$LOGFILE"
  local started=$SECONDS
  # --daemonize forks into its own session and detaches stdio, so it outlives
  # the caller; 9>&- keeps our lock from living on in the daemon.
  redis-server --daemonize yes --bind "$HOST" --port "$PORT" --save "" --appendonly no \
    --dir "$STATE" --logfile "$LOGFILE" --pidfile "$PIDFILE" </dev/null 9>&- \
    || die "redis-server failed to start; log: $LOGFILE"
  local deadline=$((SECONDS + START_TIMEOUT))
  until answers; do
    if ((SECONDS >= deadline)); then
      echo "redis: error: no answer on $HOST:$PORT after ${START_TIMEOUT} s; last log lines:" >&2
      tail -n 20 "$LOGFILE" >&2 || true
      if pid=$(owned_pid); then kill -KILL "$pid" 2>/dev/null || true; fi
      rm -f "$PIDFILE"
      exit 1
    fi
    sleep 0.1
  done
  pid=$(owned_pid) || die "redis-server answers but wrote no pid file at $PIDFILE"
  say "started at $HOST:$PORT in $((SECONDS - started)) s (pid $pid)"
}

down() {
  local pid
  if ! pid=$(owned_pid); then
    rm -f "$PIDFILE"
    if answers; then
      say "not started by imgate; left running at $HOST:$PORT"
    else
      say "not running"
    fi
    return
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    say "pid $pid ignored SIGTERM for ${STOP_TIMEOUT} s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 5))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  fi
  rm -f "$PIDFILE"
  say "stopped (pid $pid)"
}

status() {
  local pid
  if answers; then
    if pid=$(owned_pid); then
      say "running at $HOST:$PORT (started by imgate, pid $pid)"
    else
      say "running at $HOST:$PORT (not started by imgate)"
    fi
  elif pid=$(owned_pid); then
    say "pid $pid alive but not answering on $HOST:$PORT"
    return 1
  else
    say "not running"
    return 3
  fi
}

cmd="${1:-}"
case "$cmd" in
  up | down | status)
    mkdir -p "$STATE"
    # One up/down at a time per state dir; a bounded wait, never a hang.
    exec 9>"$STATE/.lock"
    flock -w 120 9 || die "another redis.sh holds $STATE/.lock"
    "$cmd"
    ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
