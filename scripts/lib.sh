# shellcheck shell=bash
# Shared helpers for dagwright's scripts. Source it; it defines functions and variables only.

DW_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DW_CACHE="${DAGWRIGHT_CACHE:-$HOME/.cache/dagwright}"
DW_RUNTIME="${DAGWRIGHT_RUNTIME:-/tmp/dagwright-runtime}"
DW_REQ_DIR="$DW_REPO/python/requirements"

dw_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
dw_die() { dw_log "ERROR: $*"; exit 1; }

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

# dw_venv_path NAME: where the cached venv for python/requirements/NAME.lock lives.
dw_venv_path() {
  local lock="$DW_REQ_DIR/$1.lock"
  [[ -f "$lock" ]] || dw_die "no lock file $lock"
  echo "$DW_CACHE/venvs/$1-$(dw_sha12 "$lock")"
}
