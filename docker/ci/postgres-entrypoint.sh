#!/usr/bin/env bash
# CI stand-in for the official postgres image's entrypoint (the parts docker-compose.yml uses).
set -euo pipefail
: "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=$POSTGRES_USER}" "${PGPORT:=5432}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
export PGPORT
sockets=/tmp
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  pwfile="$(mktemp)"; printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 -E UTF8 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -c unix_socket_directories=$sockets" start >/dev/null
  psql=(psql -v ON_ERROR_STOP=1 -h "$sockets" -U "$POSTGRES_USER" -q)
  [[ "$POSTGRES_DB" == postgres ]] || "${psql[@]}" -d postgres -c "CREATE DATABASE \"$POSTGRES_DB\""
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sql) echo "initdb: $f"; "${psql[@]}" -d "$POSTGRES_DB" -f "$f" ;;
      *.sh) echo "initdb: $f"; source "$f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -w -m fast stop >/dev/null
fi
if [[ "${1:-}" == postgres ]]; then
  shift
  exec postgres -D "$PGDATA" -c "listen_addresses=${POSTGRES_LISTEN:-*}" -c "unix_socket_directories=$sockets" "$@"
fi
exec "$@"
