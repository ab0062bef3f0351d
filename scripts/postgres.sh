#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, from Debian's packages, on 127.0.0.1.
#
#   scripts/postgres.sh start    init (fresh) + start; prints postgres://postgres@127.0.0.1:PORT/dagwright
#   scripts/postgres.sh stop     stop and delete the cluster
#   scripts/postgres.sh status   exit 0 and print the URL if it is running
#
# Port: $DAGWRIGHT_PG_PORT (default 5433). Data, socket, log and pid file live under
# ${DAGWRIGHT_RUNTIME:-/tmp/dagwright-runtime}/postgres. Trust auth, loopback only; fsync off.
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (created
# by the Debian package). Installs the `postgresql` package with apt-get when it is missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

port="${DAGWRIGHT_PG_PORT:-5433}"
dir="$DW_RUNTIME/postgres"
data="$dir/data"
log="$dir/postgres.log"
pidfile="$DW_RUNTIME/postgres.pid"
db=dagwright
url="postgres://postgres@127.0.0.1:$port/$db"

pg_bindir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$d" && -x "$d/initdb" ]] && echo "$d"
}

bin="$(pg_bindir || true)"
if [[ -z "$bin" ]]; then
  [[ "$(id -u)" == 0 ]] || dw_die "PostgreSQL server binaries not found; run: apt-get install postgresql"
  dw_log "installing PostgreSQL with apt-get"
  dw_apt_install postgresql >&2
  bin="$(pg_bindir)" || dw_die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb"
fi

# as_pg CMD...: run CMD as the cluster's owner.
if [[ "$(id -u)" == 0 ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  as_pg() { runuser -u postgres -- "$@"; }
  owner=postgres
else
  as_pg() { "$@"; }
  owner="$(id -un)"
fi

running() {
  [[ -f "$data/postmaster.pid" ]] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

ready() {
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres
}

case "${1:-}" in
  start)
    if running && ready; then echo "$url"; exit 0; fi
    if ready; then
      dw_die "something else already listens on 127.0.0.1:$port (set DAGWRIGHT_PG_PORT)"
    fi
    # Throwaway: a stopped leftover cluster is discarded, every start is a fresh initdb.
    running && as_pg "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    mkdir -p "$DW_RUNTIME" "$dir"
    chmod 755 "$DW_RUNTIME"
    chown "$owner" "$dir"
    chmod 700 "$dir"
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; dw_die "initdb failed"; }
    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
    # trust for loopback TCP and the private socket only (initdb's pg_hba.conf, made explicit)
    cat >"$data/pg_hba.conf" <<HBA
local all all trust
host  all all 127.0.0.1/32 trust
HBA
    if ! as_pg "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null; then
      tail -n 30 "$log" >&2 || true
      dw_die "postgres did not start"
    fi
    for _ in $(seq 1 60); do ready && break; sleep 0.5; done
    ready || dw_die "postgres not accepting connections on 127.0.0.1:$port"
    head -n 1 "$data/postmaster.pid" >"$pidfile"
    "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
      -c "CREATE DATABASE $db" >/dev/null
    dw_log "postgres $(basename "$(dirname "$bin")") running (pid $(cat "$pidfile")), log $log"
    echo "$url"
    ;;
  stop)
    if running; then
      as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null || true
    fi
    rm -rf "$dir" "$pidfile"
    ;;
  status)
    if running && ready; then echo "$url"; else exit 1; fi
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop|status" >&2
    exit 2
    ;;
esac
