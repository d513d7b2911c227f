#!/usr/bin/env bash
# A PostgreSQL server on loopback for the console and its tests:
#   eval "$(.ci/postgres.sh)"        # start (installing PostgreSQL when missing), print the exports
#   .ci/postgres.sh stop             # stop the server this script started
#   .ci/postgres.sh install          # only install PostgreSQL when missing
# Prints `export MAAS_PG_URL=...` (the console's database) and `export MAAS_TEST_DB_URL=...` (the
# server's maintenance database: tests create and drop their own databases there).
# Idempotent: a server already answering on the port is used as it is, an initialised data folder is
# started again rather than recreated, the role and database are created only when missing.
# Settings: MAAS_PG_PORT (55432), MAAS_PG_DATA (folder of our own cluster), MAAS_PG_DB (maas),
# MAAS_PG_USER / MAAS_PG_PASSWORD (maas / maas), MAAS_PG_FAST=1 (no fsync: throwaway test data).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

PORT=${MAAS_PG_PORT:-55432}
DATA=${MAAS_PG_DATA:-${TMPDIR:-/tmp}/maas-postgres-$PORT}
DB=${MAAS_PG_DB:-maas}
ROLE=${MAAS_PG_USER:-maas}
PASSWORD=${MAAS_PG_PASSWORD:-maas}
HOST=127.0.0.1
SERVER_USER=$(id -un)
[ "$(id -u)" = 0 ] && SERVER_USER=postgres

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
    command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

BIN=$(pg_bin || true)
if [ "${1:-start}" = stop ]; then
    if [ -n "$BIN" ] && [ -f "$DATA/postmaster.pid" ]; then
        as_user "$SERVER_USER" "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
    else
        say "no server of ours in $DATA"
    fi
    exit 0
fi

if [ -z "$BIN" ]; then
    apt_install postgresql postgresql-client
    BIN=$(pg_bin) || die "PostgreSQL installed but initdb not found"
fi
[ "${1:-start}" = install ] && exit 0

is_up() { "$BIN/pg_isready" -q -h "$HOST" -p "$PORT" -t 2; }
as_role() { PGPASSWORD=$PASSWORD "$BIN/psql" -h "$HOST" -p "$PORT" -U "$ROLE" -d "$DB" -qAt "$@" 2>/dev/null; }
# Logs in, and may end other sessions on its test databases (DROP DATABASE ... WITH (FORCE) must stop
# an autovacuum worker that is still busy there).
ready_role() { [ "$(as_role -c "SELECT pg_has_role(current_user, 'pg_signal_backend', 'MEMBER')")" = t ]; }

if is_up; then
    say "a PostgreSQL server already answers on $HOST:$PORT; using it"
else
    if [ ! -f "$DATA/PG_VERSION" ]; then
        say "creating a cluster in $DATA"
        mkdir -p "$DATA"
        [ "$(id -u)" = 0 ] && chown "$SERVER_USER" "$DATA"
        chmod 700 "$DATA"
        as_user "$SERVER_USER" "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    fi
    options="-p $PORT -k $DATA -c listen_addresses=$HOST -c max_connections=200"
    if [ "${MAAS_PG_FAST:-0}" = 1 ]; then
        options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    say "starting PostgreSQL on $HOST:$PORT (data in $DATA)"
    as_user "$SERVER_USER" "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -o "$options" -w -t 60 start >/dev/null ||
        die "PostgreSQL did not start; see $DATA/server.log"
fi

if ! ready_role; then
    # Administer through a Unix socket as the server's superuser: our cluster's socket lives in its
    # data folder, the distribution's cluster's in /var/run/postgresql.
    admin=()
    for sock in "$DATA" /var/run/postgresql /tmp; do
        if [ -S "$sock/.s.PGSQL.$PORT" ]; then
            admin=(as_user "$([ "$(id -u)" = 0 ] && echo postgres || id -un)" "$BIN/psql" -h "$sock" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)
            break
        fi
    done
    [ ${#admin[@]} -gt 0 ] || die "cannot administer the server on port $PORT: create role $ROLE (CREATEDB, member of pg_signal_backend) and database $DB yourself"
    if [ -z "$("${admin[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" ]; then
        say "creating role $ROLE"
        "${admin[@]}" -c "CREATE ROLE \"$ROLE\" LOGIN CREATEDB PASSWORD '$PASSWORD'"
    fi
    "${admin[@]}" -c "GRANT pg_signal_backend TO \"$ROLE\"" 2>/dev/null
    if [ -z "$("${admin[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
        say "creating database $DB"
        "${admin[@]}" -c "CREATE DATABASE \"$DB\" OWNER \"$ROLE\""
    fi
    ready_role || die "role $ROLE cannot log in to $DB on $HOST:$PORT (password or pg_hba.conf)"
fi

echo "export MAAS_PG_URL=postgresql+psycopg://$ROLE:$PASSWORD@$HOST:$PORT/$DB"
echo "export MAAS_TEST_DB_URL=postgresql+psycopg://$ROLE:$PASSWORD@$HOST:$PORT/postgres"
