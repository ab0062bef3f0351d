#!/usr/bin/env bash
# bench/dq: dagwright's DQDL evaluator against (a) one hand-written DuckDB query computing
# the same metrics (the limit) and (b) the Python tools, each in its own cached venv:
# soda-core (on DuckDB) and Great Expectations (on pandas), running the same 20 checks on one
# generated Parquet file. Run by hand, never by the test suite.
#
#   ROWS=10000000 RUNS=3 bash bench/dq/run.sh
#
# Knobs: ROWS (10,000,000), RUNS (3), SKIP_SODA=1, SKIP_GX=1, GX_RUNS (1: GX is slow),
# DQ_BENCH_WORK (the Parquet files and
# results; default ${DAGWRIGHT_CACHE:-~/.cache/dagwright}/bench-dq). Every run is a fresh
# process (so its peak RSS is its own), the engines take turns, and the file is read once
# before timing so that every engine finds it in the page cache.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/lib.sh"
cd "$DW_REPO"

ROWS="${ROWS:-10000000}"
RUNS="${RUNS:-3}"
WORK="${DQ_BENCH_WORK:-$DW_CACHE/bench-dq}"
mkdir -p "$WORK"
[[ -d node_modules ]] || npm ci --no-audit --no-fund >&2

[[ "${SKIP_SODA:-}" == 1 ]] || SODA="$(bash scripts/venv.sh bench/dq/soda.lock)"
[[ "${SKIP_GX:-}" == 1 ]] || GX="$(bash scripts/venv.sh bench/dq/gx.lock)"
GX_RUNS="${GX_RUNS:-1}"
export GX_ANALYTICS_ENABLED=False TQDM_DISABLE=1
DATA="$WORK/orders-$ROWS.parquet"
dw_log "data: $DATA"
npx --no-install tsx "$HERE/gen.ts" "$ROWS" "$DATA"
cat "$DATA" >/dev/null

RESULTS="$WORK/results-$ROWS-$(date +%Y%m%dT%H%M%S).jsonl"
for i in $(seq 1 "$RUNS"); do
  dw_log "run $i/$RUNS: hand-written SQL"
  npx --no-install tsx --conditions=@dagwright/source "$HERE/engine.ts" handwritten "$DATA" "$HERE/handwritten.sql" >>"$RESULTS"
  dw_log "run $i/$RUNS: dagwright"
  npx --no-install tsx --conditions=@dagwright/source "$HERE/engine.ts" dagwright "$DATA" "$HERE/rules.dqdl" >>"$RESULTS"
  if [[ "${SKIP_SODA:-}" != 1 ]]; then
    dw_log "run $i/$RUNS: soda-core"
    "$SODA/bin/python" "$HERE/soda_bench.py" "$DATA" "$HERE/checks.yml" >>"$RESULTS"
  fi
  if [[ "${SKIP_GX:-}" != 1 && "$i" -le "$GX_RUNS" ]]; then
    dw_log "run $i/$RUNS: great-expectations"
    "$GX/bin/python" "$HERE/gx_bench.py" "$DATA" >>"$RESULTS" 2>"$WORK/gx.log" || { tail -n 20 "$WORK/gx.log" >&2; dw_die "great-expectations failed"; }
  fi
done
npx --no-install tsx "$HERE/report.ts" "$RESULTS" "$ROWS"
dw_log "results: $RESULTS and ${RESULTS%.jsonl}.md"
