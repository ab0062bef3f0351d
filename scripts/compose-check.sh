#!/usr/bin/env bash
# Static check of docker-compose.yml with the loader Docker Compose itself uses
# (tools/compose-check: compose-go v2.16.1, as linked by docker compose v5.6.0). Fails on
# errors and on warnings (e.g. an unset variable), which `docker compose config` only prints.
#
#   scripts/compose-check.sh                 the base file, then base + CI override
#   scripts/compose-check.sh --print [--ci]  print the normalized project as JSON
#   scripts/compose-check.sh --bin           build (or reuse) the checker and print its path
#
# The binary is cached in ${DAGWRIGHT_CACHE:-~/.cache/dagwright}/bin/compose-check-<hash of
# go.mod, go.sum, main.go>; the first build takes about 25 s (modules from the Go proxy).
# Variables come only from docker/compose.check.env, never from the caller's shell.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
src="$DW_REPO/tools/compose-check"
key="$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-12)"
bin="$DW_CACHE/bin/compose-check-$key"
if [[ ! -x "$bin" ]]; then
  command -v go >/dev/null || dw_die "go is not installed (needed to build tools/compose-check)"
  mkdir -p "$DW_CACHE/bin"
  dw_log "building tools/compose-check -> $bin"
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$bin.tmp.$$" .) && mv "$bin.tmp.$$" "$bin"
fi
check() { "$bin" -env-file "$DW_REPO/docker/compose.check.env" "$@"; }
base=(-f "$DW_REPO/docker-compose.yml")
ci=(-f "$DW_REPO/docker-compose.yml" -f "$DW_REPO/docker/ci/compose.ci.yml")
case "${1:-}" in
  --bin) echo "$bin" ;;
  --print) if [[ "${2:-}" == --ci ]]; then check "${ci[@]}"; else check "${base[@]}"; fi ;;
  "")
    check -q "${base[@]}" && echo "docker-compose.yml: ok"
    check -q "${ci[@]}" && echo "docker-compose.yml + docker/ci/compose.ci.yml: ok" ;;
  *) dw_die "usage: scripts/compose-check.sh [--print [--ci] | --bin]" ;;
esac
