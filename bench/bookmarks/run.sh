#!/usr/bin/env bash
# Builds and runs the bookmarks bench: bench/bookmarks/run.sh [--s3 memory|moto] [--objects N] [--days N] [--repeat N]
# --s3 moto needs DAGWRIGHT_S3_ENDPOINT (scripts/moto.sh start).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/node_modules/.cache/dagwright-bench"
"$root/node_modules/.bin/tsc" --ignoreConfig "$root/bench/bookmarks/bench.ts" --outDir "$out" --rootDir "$root" \
  --module nodenext --moduleResolution nodenext --target es2022 --lib es2023 --types node --strict --esModuleInterop --skipLibCheck
exec node --no-warnings "$out/bench/bookmarks/bench.js" "$@"
