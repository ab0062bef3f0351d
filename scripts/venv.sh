#!/usr/bin/env bash
# Create (or reuse) the cached venv for python/requirements/NAME.lock and print its path.
#
#   scripts/venv.sh NAME          e.g. airflow-2.10.3, airflow-2.11.0, airflow-3.1.8, tools
#   scripts/venv.sh --list        the names that have a lock
#   scripts/venv.sh --prune       delete cached venvs that match no current lock
#
# The venv lives at ${DAGWRIGHT_CACHE:-$HOME/.cache/dagwright}/venvs/NAME-<sha256(lock)[:12]>,
# so editing a lock makes a new venv and never mutates an old one. It is built in a temp dir
# next to it and renamed into place only once complete (with a .dagwright-venv marker), so an
# interrupted build never leaves a path that looks valid. Concurrent callers serialise on flock.
# Install: `pip install --no-deps --require-virtualenv -r NAME.lock` then `pip check`.
# Progress goes to stderr; stdout is only the venv path.
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
sha="$(dw_sha12 "$lock")"
final="$DW_CACHE/venvs/$name-$sha"
marker=".dagwright-venv"

valid() {
  [[ -f "$final/$marker" ]] && [[ "$(cat "$final/$marker")" == "$sha" ]] \
    && "$final/bin/python" -c 'import sys' >/dev/null 2>&1
}

if valid; then echo "$final"; exit 0; fi

mkdir -p "$DW_CACHE/venvs"
exec 9>"$DW_CACHE/venvs/.$name-$sha.lock"
flock 9
if valid; then echo "$final"; exit 0; fi   # another process built it while we waited

# A directory at the final path without a valid marker is debris from something else: move it
# aside rather than trusting it.
if [[ -e "$final" ]]; then
  dw_log "discarding invalid venv at $final"
  mv "$final" "$final.broken.$$" && rm -rf "$final.broken.$$"
fi
# Old temp dirs of this venv (from interrupted builds) are safe to remove: we hold the lock.
rm -rf "$DW_CACHE/venvs/.tmp-$name-$sha."*

pyver="$(dw_field "$lock" python)"; pyver="${pyver:-3.11}"
py="$(dw_python "$pyver")"
tmp="$DW_CACHE/venvs/.tmp-$name-$sha.$$"
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
dw_log "building venv $name ($sha) with $py"
"$py" -m venv "$tmp"
# Quiet unless it fails: pip's full output is kept in a log inside the temp dir.
if ! "$tmp/bin/python" -m pip install --no-deps --require-virtualenv --no-input \
      --disable-pip-version-check -r "$lock" >"$tmp/.install.log" 2>&1; then
  tail -n 40 "$tmp/.install.log" >&2
  dw_die "pip install of $lock failed"
fi
if ! "$tmp/bin/python" -m pip check >"$tmp/.check.log" 2>&1; then
  cat "$tmp/.check.log" >&2
  dw_die "pip check failed for $lock: the lock is not self-consistent"
fi

# Console scripts and activate scripts carry the venv's absolute path: point them at the
# final location before the rename (the python symlinks are relative to the base interpreter).
grep -rlIF -- "$tmp" "$tmp/bin" 2>/dev/null | while read -r f; do
  sed -i "s#$tmp#$final#g" "$f"
done
rm -f "$tmp/.install.log" "$tmp/.check.log"
echo "$sha" >"$tmp/$marker"
mv -T "$tmp" "$final"
trap - EXIT
dw_log "venv $name ready in $((SECONDS - start))s: $final"
echo "$final"
