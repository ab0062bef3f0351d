# shellcheck shell=bash
# Shared helpers for dagwright's scripts. Source it; it defines functions and variables only.

DW_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DW_CACHE="${DAGWRIGHT_CACHE:-$HOME/.cache/dagwright}"
DW_RUNTIME="${DAGWRIGHT_RUNTIME:-/tmp/dagwright-runtime}"
DW_REQ_DIR="$DW_REPO/python/requirements"

dw_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
dw_die() { dw_log "ERROR: $*"; exit 1; }

# dw_node_modules_ready: whether the checkout's node_modules is there and links every workspace
# package (packages/*, such as @dagwright/dqdl); one installed before a package was added lacks
# its link, and `npm ci` makes it.
dw_node_modules_ready() {
  [[ -d "$DW_REPO/node_modules" ]] || return 1
  local manifest name
  for manifest in "$DW_REPO"/packages/*/package.json; do
    [[ -e "$manifest" ]] || continue
    name="$(node -p 'require(process.argv[1]).name' "$manifest")"
    [[ -e "$DW_REPO/node_modules/$name" ]] || return 1
  done
}

# dw_field FILE KEY: the value of a '# KEY: value' header line (first one), or nothing.
dw_field() {
  sed -n "s/^# $2: *//p" "$1" | head -n 1
}

# dw_python VERSION: print the path of a python VERSION (e.g. 3.11) interpreter that can make
# venvs. Order: $DAGWRIGHT_PYTHON, pythonX.Y on PATH, pyenv installs, /usr/bin/pythonX.Y
# (installing Debian's pythonX.Y-venv when root and ensurepip is missing).
dw_python() {
  local want="$1" cand
  local -a cands=()
  [[ -n "${DAGWRIGHT_PYTHON:-}" ]] && cands+=("$DAGWRIGHT_PYTHON")
  command -v "python$want" >/dev/null 2>&1 && cands+=("$(command -v "python$want")")
  for cand in "$HOME"/.pyenv/versions/"$want".*/bin/python"$want" /usr/local/bin/python"$want" /usr/bin/python"$want"; do
    [[ -x "$cand" ]] && cands+=("$cand")
  done
  for cand in "${cands[@]}"; do
    if "$cand" -c "import sys, ensurepip, venv; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$want' else 1)" >/dev/null 2>&1; then
      "$cand" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  if [[ -x "/usr/bin/python$want" && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    dw_log "python$want has no venv/ensurepip; installing python$want-venv with apt-get"
    dw_apt_install "python$want-venv" >&2
    echo "/usr/bin/python$want"
    return 0
  fi
  dw_die "no usable python$want found (set DAGWRIGHT_PYTHON)"
}

# dw_apt_install PKG...: apt-get install, running 'apt-get update' only if the first try fails.
dw_apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "$@"; then
    apt-get update -q
    apt-get install -y -q --no-install-recommends "$@"
  fi
}

# dw_sha12 FILE: first 12 hex digits of FILE's sha256.
dw_sha12() { sha256sum "$1" | cut -c1-12; }

# dw_lock_file NAME|PATH.lock: the lock file meant: python/requirements/NAME.lock, or PATH.lock
# itself (e.g. bench/dq/soda.lock).
dw_lock_file() {
  local lock="$DW_REQ_DIR/$1.lock"
  [[ "$1" == *.lock ]] && lock="$(realpath -m "$1")"
  [[ -f "$lock" ]] || dw_die "no lock file $lock"
  echo "$lock"
}

# dw_venv_path LOCK: where the cached venv of the lock file LOCK lives:
# $DW_CACHE/venvs/NAME-<sha256(lock)[:12]>, NAME being the lock's name for python/requirements
# and its repository path with '-' for '/' for any other (bench/dq/soda.lock: bench-dq-soda).
dw_venv_path() {
  local lock="$1" name
  name="$(realpath --relative-to="$DW_REQ_DIR" "$lock")"
  [[ "$name" == ../* ]] && { name="$(realpath --relative-to="$DW_REPO" "$lock")"; name="${name//\//-}"; }
  echo "$DW_CACHE/venvs/${name%.lock}-$(dw_sha12 "$lock")"
}

# The uv that builds venvs and resolves locks: pinned, bootstrapped once into the cache with pip.
DW_UV_VERSION=0.13.9
dw_uv() {
  local boot="$DW_CACHE/uv-$DW_UV_VERSION" py
  if [[ ! -x "$boot/bin/uv" ]]; then
    mkdir -p "$DW_CACHE"
    (
      flock 8
      [[ -x "$boot/bin/uv" ]] && exit 0
      py="$(dw_python 3.11)"
      rm -rf "$boot.tmp"
      "$py" -m venv "$boot.tmp" >&2
      "$boot.tmp/bin/pip" install -q --disable-pip-version-check "uv==$DW_UV_VERSION" >&2
      mv -T "$boot.tmp" "$boot"   # uv is a static binary: its venv may move
    ) 8>"$DW_CACHE/.uv-$DW_UV_VERSION.lock" || dw_die "could not install uv $DW_UV_VERSION"
  fi
  echo "$boot/bin/uv"
}

# dw_build_venv LOCK DIR: make DIR the venv of LOCK (a hashed lock, scripts/lock.sh) unless it
# already is, and print DIR. uv builds it straight into DIR (`uv venv`, then
# `uv pip sync --require-hashes LOCK`: exactly the lock's pins, each file checked against its
# sha256, nothing resolved), then `uv pip check`, and, when the lock's header names a module
# (`# import: MODULE`), imports it. A venv cannot be moved once built (its scripts name their
# interpreter by absolute path), so it is not built elsewhere and renamed: instead the marker
# file DIR/.dagwright-venv, holding the lock's hash, is written last, so an interrupted build
# never looks valid and is discarded by the next call. Concurrent callers serialise on flock.
# Progress goes to stderr.
dw_build_venv() {
  local lock="$1" final="$2" sha py uv start module
  sha="$(dw_sha12 "$lock")"
  _dw_venv_valid() {
    [[ -f "$final/.dagwright-venv" && "$(cat "$final/.dagwright-venv")" == "$sha" ]] \
      && "$final/bin/python" -c 'import sys' >/dev/null 2>&1
  }
  if _dw_venv_valid; then echo "$final"; return 0; fi
  mkdir -p "$(dirname "$final")"
  (
    flock 9
    if _dw_venv_valid; then exit 0; fi
    # A directory without a valid marker is an interrupted build (or debris): start over.
    rm -rf "$final"
    py="$(dw_field "$lock" python)"; py="$(dw_python "${py:-3.11}")"
    uv="$(dw_uv)"
    start=$SECONDS
    dw_log "building venv $(basename "$final") with $py and uv $DW_UV_VERSION"
    "$uv" venv --quiet --no-config --python "$py" "$final" >&2
    if ! "$uv" pip sync --no-config --python "$final/bin/python" --require-hashes --compile-bytecode \
          "$lock" >"$final/.install.log" 2>&1; then
      tail -n 40 "$final/.install.log" >&2
      dw_die "installing $lock failed"
    fi
    if ! "$uv" pip check --no-config --python "$final/bin/python" >"$final/.check.log" 2>&1; then
      cat "$final/.check.log" >&2
      dw_die "pip check failed for $lock: the lock is not self-consistent"
    fi
    module="$(dw_field "$lock" import)"
    if [[ -n "$module" ]] && ! "$final/bin/python" -c "import $module" >&2; then
      dw_die "the venv of $lock cannot import $module"
    fi
    rm -f "$final/.install.log" "$final/.check.log"
    echo "$sha" >"$final/.dagwright-venv"
    dw_log "venv $(basename "$final") ready in $((SECONDS - start))s"
  ) 9>"$(dirname "$final")/.$(basename "$final").lock" || return 1
  echo "$final"
}
