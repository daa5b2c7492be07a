#!/usr/bin/env bash
# A real Kafka for integration tests: Apache Kafka's own jars from Maven Central
# (scripts/kafka/pom.xml, cached), run as one KRaft node that is both broker and
# controller. Reuses a broker that already answers; otherwise starts one, waits
# until it serves, and remembers (pid file) that we did, so `down` stops only
# ours and then deletes its data.
#
#   bash scripts/kafka.sh up|down|status|stop|start
#
# up formats fresh storage; stop/start stop our broker and start it again on
# the data it has (a broker restart, for the resilience tests on a private broker).
#
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
#      IMGATE_STATE (/tmp/imgate-services), IMGATE_CACHE (~/.cache/imgate),
#      KAFKA_HEAP_OPTS (-Xms256m -Xmx512m), KAFKA_START_TIMEOUT (90 s),
#      KAFKA_STOP_TIMEOUT (30 s).
#      KAFKA_SASL_SSL_PORT + KAFKA_SSL_KEYSTORE_PEM + KAFKA_SASL_USERS: a second
#      listener, SASL over TLS (for the store-TLS tests): the PEM file holds the
#      broker's PKCS#8 key and certificate; KAFKA_SASL_USERS is "name:password,..."
#      and each user may log in with PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.
#      The PLAINTEXT listener stays (readiness check, inter-broker).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$HERE/kafka/pom.xml"
VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")"
HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
STATE="${IMGATE_STATE:-/tmp/imgate-services}/kafka"
LIBS="${IMGATE_CACHE:-${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache/imgate}/kafka-$VERSION/libs"
PIDFILE="$STATE/kafka.pid"
PROPS="$STATE/server.properties"
LOG4J="$STATE/log4j.properties"
LOGDIR="$STATE/logs"
DATADIR="$STATE/data"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
# Any valid 16-byte base64url id will do; fixed so runs are reproducible.
CLUSTER_ID=aW1nYXRlLWthZmthLTAwMQ
SASL_SSL_PORT="${KAFKA_SASL_SSL_PORT:-}"
SASL_USERS="${KAFKA_SASL_USERS:-}"

say() { echo "kafka: $*"; }
die() { echo "kafka: error: $*" >&2; exit 1; }

[[ -n $VERSION ]] || die "no <kafka.version> in $POM"

# True when a Kafka broker answers an ApiVersions v0 request with our
# correlation id. The broker only processes requests once it is fully started
# (and, in KRaft, unfenced), so this is a real readiness check, not just a port.
answers() {
  local reply
  # shellcheck disable=SC2016 # expanded by the inner shell
  reply=$(timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    # size 16 | api_key 18 | version 0 | correlation id "IMGT" | client id "imgate"
    printf "\x00\x00\x00\x10\x00\x12\x00\x00IMGT\x00\x06imgate" >&3
    head -c 8 <&3 | od -An -tx1 | tr -d " \n"
  ' "$HOST" "$1" 2>/dev/null) || return 1
  [[ $reply == ????????494d4754 ]]
}

# The pid from our pid file, if that process is still the broker we started.
owned_pid() {
  [[ -s $PIDFILE ]] || return 1
  local pid
  pid=$(<"$PIDFILE")
  [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$PROPS" || return 1
  echo "$pid"
}

apt_install() {
  [[ $EUID -eq 0 ]] || die "$1 is missing; install Debian's $2 package"
  say "installing $2 (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null >/dev/null
  apt-get install -y -qq "$2" </dev/null >/dev/null
  command -v "$1" >/dev/null || die "apt-get did not provide $1"
}

ensure_libs() {
  command -v java >/dev/null || apt_install java default-jre-headless
  [[ -f $LIBS/.complete ]] && return
  command -v mvn >/dev/null || apt_install mvn maven
  say "copying Kafka $VERSION jars into $LIBS (mvn)"
  local tmp="$LIBS.tmp.$$" mvnlog
  rm -rf "$tmp" && mkdir -p "$tmp"
  mvnlog="$tmp.log"
  if ! mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
    -DoutputDirectory="$tmp" -DincludeScope=runtime </dev/null >"$mvnlog" 2>&1; then
    tail -n 30 "$mvnlog" >&2
    rm -rf "$tmp" "$mvnlog"
    die "mvn could not fetch the Kafka jars"
  fi
  compgen -G "$tmp/kafka_2.13-$VERSION.jar" >/dev/null || die "mvn ran but $tmp has no kafka_2.13-$VERSION.jar"
  touch "$tmp/.complete"
  # Rename into place so a half-copied directory is never taken as the cache.
  rm -rf "$LIBS" "$mvnlog"
  mv "$tmp" "$LIBS"
}

write_config() {
  local listeners="PLAINTEXT://$HOST:$PORT" advertised="PLAINTEXT://$HOST:$PORT" protocols="PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
  if [[ -n $SASL_SSL_PORT ]]; then
    listeners+=",SASL_SSL://$HOST:$SASL_SSL_PORT"
    advertised+=",SASL_SSL://$HOST:$SASL_SSL_PORT"
    protocols+=",SASL_SSL:SASL_SSL"
  fi
  cat >"$PROPS" <<EOF
# Written by scripts/kafka.sh: one KRaft node, broker and controller, for tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=$listeners,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=$advertised
listener.security.protocol.map=$protocols
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATADIR

num.partitions=4
default.replication.factor=1
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
# Fewer internal partitions: the first consumer group creates them all.
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
group.initial.rebalance.delay.ms=0

num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1

# Keep the disk small: short segments, small preallocated indexes, 1 h or 64 MiB per partition.
log.segment.bytes=16777216
log.index.size.max.bytes=1048576
log.retention.ms=3600000
log.retention.bytes=67108864
log.retention.check.interval.ms=60000
EOF
  if [[ -n $SASL_SSL_PORT ]]; then write_sasl_ssl_config; fi
  cat >"$LOG4J" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$LOGDIR/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
EOF
}

# The SASL_SSL listener: TLS from a PEM keystore, PLAIN users in the JAAS line, SCRAM users in the
# cluster metadata (added at format time, see scram_args).
write_sasl_ssl_config() {
  [[ -r ${KAFKA_SSL_KEYSTORE_PEM:-} ]] || die "KAFKA_SASL_SSL_PORT needs KAFKA_SSL_KEYSTORE_PEM (a readable PEM key + certificate)"
  [[ -n $SASL_USERS ]] || die "KAFKA_SASL_SSL_PORT needs KAFKA_SASL_USERS (name:password,...)"
  local plain="" pair
  for pair in ${SASL_USERS//,/ }; do plain+=" user_${pair%%:*}=\"${pair#*:}\""; done
  cat >>"$PROPS" <<EOF

# SASL over TLS (KAFKA_SASL_SSL_PORT)
listener.name.sasl_ssl.ssl.keystore.type=PEM
listener.name.sasl_ssl.ssl.keystore.location=$KAFKA_SSL_KEYSTORE_PEM
listener.name.sasl_ssl.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required$plain;
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
EOF
}

# StorageTool arguments that store each KAFKA_SASL_USERS user's SCRAM credentials.
scram_args() {
  local pair mech
  [[ -n $SASL_SSL_PORT && -n $SASL_USERS ]] || return 0
  for pair in ${SASL_USERS//,/ }; do
    for mech in SCRAM-SHA-256 SCRAM-SHA-512; do
      printf '%s\n' --add-scram "$mech=[name=${pair%%:*},password=${pair#*:}]"
    done
  done
}

log_tail() {
  echo "--- $LOGDIR/server.log (last 30 lines)" >&2
  tail -n 30 "$LOGDIR/server.log" >&2 2>/dev/null || true
  echo "--- $LOGDIR/kafka.out (last 10 lines)" >&2
  tail -n 10 "$LOGDIR/kafka.out" >&2 2>/dev/null || true
}

# SIGTERM (Kafka shuts down cleanly on it), then SIGKILL after STOP_TIMEOUT.
stop_pid() {
  local pid=$1 deadline=$((SECONDS + STOP_TIMEOUT))
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    say "pid $pid ignored SIGTERM for ${STOP_TIMEOUT} s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  fi
}

up() {
  local pid started=$SECONDS
  if answers "$PORT"; then
    if pid=$(owned_pid); then
      say "already running at $HOST:$PORT (started by imgate, pid $pid)"
    else
      say "already running at $HOST:$PORT"
    fi
    return
  fi
  if pid=$(owned_pid); then
    die "our broker (pid $pid) is alive but does not answer on $HOST:$PORT; run 'down' first"
  fi
  rm -f "$PIDFILE"
  local p
  for p in "$PORT" "$CONTROLLER_PORT"; do
    # shellcheck disable=SC2016 # expanded by the inner shell
    if timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$p" 2>/dev/null; then
      die "$HOST:$p is taken by something that is not a ready Kafka broker"
    fi
  done

  ensure_libs
  # Every start is from empty storage: tests get a clean broker, and no stale
  # metadata from a crashed run can disagree with the config.
  rm -rf "$DATADIR" "$LOGDIR"
  mkdir -p "$DATADIR" "$LOGDIR"
  write_config
  local cp="$LIBS/*" log4j="-Dlog4j.configuration=file:$LOG4J"
  local scram=()
  mapfile -t scram < <(scram_args)
  if ! java -cp "$cp" kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$PROPS" "${scram[@]}" \
    </dev/null >"$LOGDIR/format.out" 2>&1; then
    cat "$LOGDIR/format.out" >&2
    die "kafka-storage format failed"
  fi

  launch "$started"
}

# Starts the broker on the config and storage in $STATE; waits until it serves.
launch() {
  local started=$1 pid
  local cp="$LIBS/*" log4j="-Dlog4j.configuration=file:$LOG4J"
  # setsid + nohup: the broker lives on after the calling shell (and its
  # process group) goes away. The inner shell records its pid, then becomes java.
  # shellcheck disable=SC2016,SC2086 # $$ is the inner shell's; HEAP_OPTS is a word list
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$PIDFILE" \
    java $HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true "$log4j" -Dkafka.logs.dir="$LOGDIR" \
    -cp "$cp" kafka.Kafka "$PROPS" \
    </dev/null >"$LOGDIR/kafka.out" 2>&1 9>&- &

  local deadline=$((SECONDS + START_TIMEOUT))
  until answers "$PORT" && grep -q "Kafka Server started" "$LOGDIR/server.log" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      echo "kafka: error: broker not serving on $HOST:$PORT after ${START_TIMEOUT} s" >&2
      log_tail
      if pid=$(owned_pid); then stop_pid "$pid"; fi
      rm -f "$PIDFILE"
      exit 1
    fi
    if [[ -s $PIDFILE ]] && ! owned_pid >/dev/null; then
      echo "kafka: error: broker exited during startup" >&2
      log_tail
      rm -f "$PIDFILE"
      exit 1
    fi
    sleep 0.25
  done
  pid=$(owned_pid) || die "a broker answers on $HOST:$PORT but it is not the one we started"
  say "started at $HOST:$PORT in $((SECONDS - started)) s (pid $pid)"
}

# Stops our broker, keeping its data (start brings it back as it was).
stop() {
  local pid
  if pid=$(owned_pid); then
    stop_pid "$pid"
    say "stopped (pid $pid), data kept"
  else
    say "not running (or not ours)"
  fi
  rm -f "$PIDFILE"
}

start() {
  [[ -s $PROPS && -d $DATADIR ]] || die "no broker data in $STATE; run 'up' first"
  answers "$PORT" && { say "already running at $HOST:$PORT"; return; }
  ensure_libs
  launch "$SECONDS"
}

down() {
  local pid
  if pid=$(owned_pid); then
    stop_pid "$pid"
    say "stopped (pid $pid)"
  elif answers "$PORT"; then
    say "not started by imgate; left running at $HOST:$PORT"
  else
    say "not running"
  fi
  rm -f "$PIDFILE"
  rm -rf "$DATADIR"
}

status() {
  local pid
  if answers "$PORT"; then
    if pid=$(owned_pid); then
      say "running at $HOST:$PORT (started by imgate, pid $pid)"
    else
      say "running at $HOST:$PORT (not started by imgate)"
    fi
  elif pid=$(owned_pid); then
    say "pid $pid alive but not serving on $HOST:$PORT"
    return 1
  else
    say "not running"
    return 3
  fi
}

cmd="${1:-}"
case "$cmd" in
  up | down | status | stop | start)
    mkdir -p "$STATE"
    # One up/down at a time per state dir; a bounded wait, never a hang.
    exec 9>"$STATE/.lock"
    flock -w 150 9 || die "another kafka.sh holds $STATE/.lock"
    "$cmd"
    ;;
  *)
    echo "usage: $0 up|down|status|stop|start" >&2
    exit 2
    ;;
esac
