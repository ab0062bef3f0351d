#!/usr/bin/env bash
# A moto server (local AWS API emulation: S3, SNS, ...) for tests, from the `tools` venv.
#
#   scripts/moto.sh start    start (or reuse ours); prints the endpoint http://127.0.0.1:PORT
#   scripts/moto.sh stop     stop it
#   scripts/moto.sh status   exit 0 and print the endpoint if it is running
#
# Port: $DAGWRIGHT_MOTO_PORT (default 5055), bound to 127.0.0.1 only. Pid file and log live in
# ${DAGWRIGHT_RUNTIME:-/tmp/dagwright-runtime}. Exports nothing: callers point their AWS SDKs
# at the printed endpoint (with dummy credentials, e.g. AWS_ACCESS_KEY_ID=testing).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

port="${DAGWRIGHT_MOTO_PORT:-5055}"
pidfile="$DW_RUNTIME/moto.pid"
log="$DW_RUNTIME/moto.log"
endpoint="http://127.0.0.1:$port"

ours() {
  [[ -f "$pidfile" ]] || return 1
  local pid; pid="$(cat "$pidfile")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q moto_server
}

ready() {
  # moto answers GET /moto-api/ (its dashboard) with 200 once it serves requests
  curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$endpoint/moto-api/" 2>/dev/null | grep -q '^200$'
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

case "${1:-}" in
  start)
    if ours && ready; then echo "$endpoint"; exit 0; fi
    port_busy && dw_die "something else already listens on 127.0.0.1:$port (set DAGWRIGHT_MOTO_PORT)"
    venv="$("$(dirname "${BASH_SOURCE[0]}")/venv.sh" tools)"
    mkdir -p "$DW_RUNTIME"
    # setsid: its own session, so a Ctrl-C in the caller's terminal is not what stops it
    setsid "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" </dev/null >"$log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 120); do
      ready && break
      ours || { tail -n 20 "$log" >&2; dw_die "moto_server exited during start"; }
      sleep 0.25
    done
    ready || { tail -n 20 "$log" >&2; dw_die "moto_server not ready on $endpoint"; }
    dw_log "moto $("$venv/bin/python" -c 'import moto; print(moto.__version__)') running (pid $(cat "$pidfile")), log $log"
    echo "$endpoint"
    ;;
  stop)
    if ours; then
      pid="$(cat "$pidfile")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
    ;;
  status)
    if ours && ready; then echo "$endpoint"; else exit 1; fi
    ;;
  *)
    echo "usage: scripts/moto.sh start|stop|status" >&2
    exit 2
    ;;
esac
