#!/usr/bin/env bash
# The real Redis and Kafka that integration and end-to-end tests run against.
#
#   bash scripts/services.sh up      # ensure Redis at 127.0.0.1:6379, Kafka at 127.0.0.1:9092
#   bash scripts/services.sh down    # stop only what `up` started; drop Kafka's data
#   bash scripts/services.sh status
#
# `up` is idempotent and quick when both already answer. What it started is
# recorded as pid files under ${IMGATE_STATE:-/tmp/imgate-services}/{redis,kafka}/;
# anything it found running is left alone by `down`. The per-service work is in
# scripts/redis.sh and scripts/kafka.sh (see them for the environment knobs).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

case "${1:-}" in
  up)
    bash "$HERE/redis.sh" up
    bash "$HERE/kafka.sh" up
    ;;
  down)
    # Both, even if the first fails, so one broken service never strands the other.
    rc=0
    bash "$HERE/kafka.sh" down || rc=$?
    bash "$HERE/redis.sh" down || rc=$?
    exit "$rc"
    ;;
  status)
    # Exit 0 only when both answer.
    rc=0
    bash "$HERE/redis.sh" status || rc=1
    bash "$HERE/kafka.sh" status || rc=1
    exit "$rc"
    ;;
  *)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
