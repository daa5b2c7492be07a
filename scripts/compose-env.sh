#!/usr/bin/env bash
# Writes the secrets docker-compose.yml takes by reference into .env beside it (gitignored and
# dockerignored): a push API key, the cluster secret and the JWT secret your clients' tokens are
# signed with, random, made with openssl. Keeps values already there; run it once before
# `docker compose up` (compose refuses to start without them, logic refuses weak ones).
set -euo pipefail
cd "$(dirname "$0")/.."
touch .env
chmod 600 .env
add() {
  if ! grep -q "^$1=" .env; then
    echo "$1=$(openssl rand -hex 32)" >> .env
    echo "compose-env: wrote $1 to .env"
  fi
}
add IMGATE_API_KEYS
add IMGATE_CLUSTER_SECRET
add IMGATE_JWT_SECRET
echo "compose-env: sign client tokens (HS256, with exp) with IMGATE_JWT_SECRET from .env"
echo "compose-env: push with: curl -H \"Authorization: Bearer \$(grep ^IMGATE_API_KEYS= .env | cut -d= -f2 | cut -d, -f1)\" ..."
