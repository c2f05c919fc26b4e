#!/bin/bash
# What the official postgres image's ENTRYPOINT does before it runs its CMD, redone with Debian's PostgreSQL 15
# for the harness (harness.ts, stockImages). Facts read in docker-library/postgres 15/bookworm/docker-entrypoint.sh
# and Dockerfile (commit 21d6964959, 15.17): on an empty PGDATA it runs initdb with POSTGRES_USER as the superuser
# and POSTGRES_PASSWORD as its password, lets every host in with the server's password_encryption (scram-sha-256
# on 15), creates POSTGRES_DB on a server listening on the Unix socket only, stops it, then runs the CMD. A PGDATA
# that holds a database is used as it is. Written here, not copied: only what our container uses (no initdb.d
# scripts, no *_FILE variables, no POSTGRES_INITDB_ARGS).
set -euo pipefail
: "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=$POSTGRES_USER}" "${PGDATA:?}"
mkdir -p "$PGDATA"
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ]; then
        echo "postgres-entrypoint: POSTGRES_PASSWORD is empty: the image refuses to start" >&2
        exit 1
    fi
    pwfile="$(mktemp)"
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    initdb --username="$POSTGRES_USER" --pwfile="$pwfile" >/dev/null
    rm -f "$pwfile"
    printf '\nhost all all all %s\n' "$(postgres -D "$PGDATA" -C password_encryption)" >>"$PGDATA/pg_hba.conf"
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    if [ "$POSTGRES_DB" != postgres ]; then
        PGPASSWORD="$POSTGRES_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
            --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
    fi
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    echo "postgres-entrypoint: PostgreSQL init process complete; ready for start up."
else
    echo "postgres-entrypoint: PostgreSQL Database directory appears to contain a database; Skipping initialization"
fi
exec "$@"
