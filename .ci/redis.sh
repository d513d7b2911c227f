#!/usr/bin/env bash
# A Redis server on loopback for the console's shared state (several workers):
#   eval "$(.ci/redis.sh)"      # start (installing Redis when missing), print `export MAAS_REDIS_URL=...`
#   .ci/redis.sh stop           # stop the server this script started
#   .ci/redis.sh install        # only install Redis when missing
# Idempotent: a server already answering PING on the port is used as it is.
# Settings: MAAS_REDIS_PORT (56379), MAAS_REDIS_DATA (folder for its pid, log and dump).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

PORT=${MAAS_REDIS_PORT:-56379}
DATA=${MAAS_REDIS_DATA:-${TMPDIR:-/tmp}/maas-redis-$PORT}
HOST=127.0.0.1

pong() { [ "$(redis-cli -h "$HOST" -p "$PORT" ping 2>/dev/null)" = PONG ]; }

if [ "${1:-start}" = stop ]; then
    if [ -f "$DATA/redis.pid" ] && command -v redis-cli >/dev/null 2>&1 && pong; then
        redis-cli -h "$HOST" -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
        say "stopped Redis on $HOST:$PORT"
    else
        say "no server of ours on $HOST:$PORT"
    fi
    exit 0
fi

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    apt_install redis-server redis-tools
fi
[ "${1:-start}" = install ] && exit 0

if pong; then
    say "a Redis server already answers on $HOST:$PORT; using it"
else
    mkdir -p "$DATA"
    say "starting Redis on $HOST:$PORT (files in $DATA)"
    # No snapshots: it holds UI sessions and rate-limit counters, rebuilt when lost.
    redis-server --bind "$HOST" --port "$PORT" --daemonize yes --dir "$DATA" \
        --pidfile "$DATA/redis.pid" --logfile "$DATA/redis.log" --save "" --appendonly no >&2
    for _ in $(seq 1 50); do pong && break; sleep 0.1; done
    pong || die "Redis did not start; see $DATA/redis.log"
fi

echo "export MAAS_REDIS_URL=redis://$HOST:$PORT/0"
