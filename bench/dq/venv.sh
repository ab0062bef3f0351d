#!/usr/bin/env bash
# The cached venv for bench/dq/NAME.lock (NAME: soda or gx): prints its path, building it on
# first use (dw_build_venv in scripts/lib.sh, as scripts/venv.sh does) at
# ${DAGWRIGHT_CACHE:-~/.cache/dagwright}/venvs/dq-bench-NAME-<sha256(lock)[:12]>.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/lib.sh"

name="${1:?usage: bench/dq/venv.sh soda|gx}"
lock="$HERE/$name.lock"
[[ -f "$lock" ]] || dw_die "no $lock"
venv="$(dw_build_venv "$lock" "$DW_CACHE/venvs/dq-bench-$name-$(dw_sha12 "$lock")")"
module="$(dw_field "$lock" import)"
"$venv/bin/python" -c "import $module" || dw_die "the $name venv cannot import $module"
echo "$venv"
