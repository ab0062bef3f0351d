#!/usr/bin/env bash
# Create (or reuse) the cached venv of a hashed lock and print its path.
#
#   scripts/venv.sh NAME          python/requirements/NAME.lock, e.g. airflow-3.1.8, tools
#   scripts/venv.sh PATH.lock     any other lock, e.g. bench/dq/soda.lock
#   scripts/venv.sh --list        the names that have a lock in python/requirements
#   scripts/venv.sh --prune       delete cached venvs that match no current lock
#
# The venv lives at ${DAGWRIGHT_CACHE:-$HOME/.cache/dagwright}/venvs/NAME-<sha256(lock)[:12]>
# (dw_venv_path in lib.sh), so editing a lock makes a new venv and never mutates an old one.
# uv builds it in place (dw_build_venv in lib.sh: `uv pip sync --require-hashes LOCK`, then
# `uv pip check`), and its marker file is written last, so an interrupted build never leaves a
# path that looks valid. Concurrent callers serialise on flock. Progress goes to stderr;
# stdout is only the path. The locks are made by scripts/lock.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

all_locks() { ls "$DW_REQ_DIR"/*.lock "$DW_REPO"/bench/*/*.lock 2>/dev/null; }

if [[ "${1:-}" == "--list" ]]; then
  for f in "$DW_REQ_DIR"/*.lock; do basename "$f" .lock; done
  exit 0
fi
if [[ "${1:-}" == "--prune" ]]; then
  keep=()
  while read -r f; do keep+=("$(basename "$(dw_venv_path "$f")")"); done < <(all_locks)
  for d in "$DW_CACHE"/venvs/*/; do
    d="${d%/}"; [[ -d "$d" ]] || continue
    if [[ " ${keep[*]} " != *" $(basename "$d") "* ]]; then
      dw_log "pruning $d"; rm -rf "$d"
    fi
  done
  exit 0
fi
lock="$(dw_lock_file "${1:?usage: scripts/venv.sh NAME | PATH.lock | --list | --prune}")"
dw_build_venv "$lock" "$(dw_venv_path "$lock")"
