#!/usr/bin/env bash
# Create (or reuse) the cached venv for python/requirements/NAME.lock and print its path.
#
#   scripts/venv.sh NAME          e.g. airflow-2.10.3, airflow-2.11.0, airflow-3.1.8, tools
#   scripts/venv.sh --list        the names that have a lock
#   scripts/venv.sh --prune       delete cached venvs that match no current lock
#
# The venv lives at ${DAGWRIGHT_CACHE:-$HOME/.cache/dagwright}/venvs/NAME-<sha256(lock)[:12]>,
# so editing a lock makes a new venv and never mutates an old one. uv builds it in place
# (dw_build_venv in lib.sh: `uv pip install --no-deps -r NAME.lock`, then `uv pip check`), and
# its marker file is written last, so an interrupted build never leaves a path that looks
# valid. Concurrent callers serialise on flock. Progress goes to stderr; stdout is only the path.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ "${1:-}" == "--list" ]]; then
  for f in "$DW_REQ_DIR"/*.lock; do basename "$f" .lock; done
  exit 0
fi
if [[ "${1:-}" == "--prune" ]]; then
  keep=()
  for f in "$DW_REQ_DIR"/*.lock; do keep+=("$(basename "$f" .lock)-$(dw_sha12 "$f")"); done
  for d in "$DW_CACHE"/venvs/*/; do
    d="${d%/}"; [[ -d "$d" ]] || continue
    if [[ " ${keep[*]} " != *" $(basename "$d") "* ]]; then
      dw_log "pruning $d"; rm -rf "$d"
    fi
  done
  exit 0
fi
name="${1:?usage: scripts/venv.sh NAME | --list | --prune}"
lock="$DW_REQ_DIR/$name.lock"
[[ -f "$lock" ]] || dw_die "no lock file $lock (have: $(cd "$DW_REQ_DIR" && ls ./*.lock 2>/dev/null | tr '\n' ' '))"
dw_build_venv "$lock" "$DW_CACHE/venvs/$name-$(dw_sha12 "$lock")"
