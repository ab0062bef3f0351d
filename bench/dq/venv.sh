#!/usr/bin/env bash
# The cached venv for bench/dq/NAME.lock (NAME: soda or gx): prints its path, building it on
# first use, at ${DAGWRIGHT_CACHE:-~/.cache/dagwright}/venvs/dq-bench-NAME-<sha256(lock)[:12]>.
# Built in a temp dir and renamed into place when complete, so an interrupted build never
# leaves a path that looks valid.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/lib.sh"

name="${1:?usage: bench/dq/venv.sh soda|gx}"
lock="$HERE/$name.lock"
[[ -f "$lock" ]] || dw_die "no $lock"
module="$(dw_field "$lock" import)"
sha="$(dw_sha12 "$lock")"
final="$DW_CACHE/venvs/dq-bench-$name-$sha"
if [[ -f "$final/.dagwright-venv" ]] && "$final/bin/python" -c "import $module" >/dev/null 2>&1; then
  echo "$final"
  exit 0
fi
mkdir -p "$DW_CACHE/venvs"
tmp="$DW_CACHE/venvs/.tmp-dq-bench-$name-$sha.$$"
trap 'rm -rf "$tmp"' EXIT
py="$(dw_python "$(dw_field "$lock" python)")"
dw_log "building the $name venv ($sha) with $py"
"$py" -m venv "$tmp"
if ! "$tmp/bin/python" -m pip install --no-deps --disable-pip-version-check --no-input -r "$lock" >"$tmp/.install.log" 2>&1; then
  tail -n 30 "$tmp/.install.log" >&2
  dw_die "pip install of $lock failed"
fi
grep -rlIF -- "$tmp" "$tmp/bin" 2>/dev/null | while read -r f; do sed -i "s#$tmp#$final#g" "$f"; done
echo "$sha" >"$tmp/.dagwright-venv"
rm -rf "$final"
mv -T "$tmp" "$final"
trap - EXIT
echo "$final"
