#!/usr/bin/env bash
# DagBag parse time: 200 dagwright-generated DAGs vs the same DAGs hand-written vs dag-factory YAML.
#
#   bash bench/parse-time/run.sh            from a clean checkout; see README.md beside this file
#
# 1. npm ci (only if node_modules is missing), npm run build
# 2. the pinned venvs: airflow-2.10.3 and dag-factory (= airflow-2.10.3 + dag-factory 1.1.0),
#    built on first use by scripts/venv.sh from python/requirements/*.lock
# 3. gen.py: COUNT specs (seed SEED) -> dagwright generate --airflow 2.10, the hand-written
#    DAG files and the dag-factory YAML + loader, in WORK
# 4. bench.py: equivalence check, warm-up, RUNS fresh-process DagBag runs per variant, medians
#    and ratios (also in WORK/results.json and WORK/results.md), then -X importtime runs, then
#    the fork-per-file model of Airflow's DAG processor (processor_once.py)
#
# Knobs (environment): RUNS (5), COUNT (200), SEED (1), IMPORTTIME_RUNS (3; 0 skips it),
# PROCESSOR_RUNS (3; 0 skips the DAG-processor model),
# PARSE_TIME_WORK (default ${TMPDIR:-/tmp}/dagwright-parse-time; emptied of old DAGs each run).
# Extra arguments go to bench.py (e.g. --skip-verify).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/lib.sh"
cd "$DW_REPO"

RUNS="${RUNS:-5}"
COUNT="${COUNT:-200}"
SEED="${SEED:-1}"
IMPORTTIME_RUNS="${IMPORTTIME_RUNS:-3}"
WORK="${PARSE_TIME_WORK:-${TMPDIR:-/tmp}/dagwright-parse-time}"

if [[ ! -d node_modules ]]; then
  dw_log "npm ci"
  npm ci --no-audit --no-fund >&2
fi
dw_log "npm run build"
if ! npm run --silent build >&2; then
  # tsc still emits JavaScript when it reports type errors (no noEmitOnError), and this
  # checkout is shared: a type error in someone's unfinished file elsewhere must not stop the
  # benchmark. A broken CLI does (next line).
  dw_log "WARNING: npm run build reported errors (above); continuing with the JavaScript it emitted"
fi
node bin/dagwright.js --help >/dev/null || dw_die "the dagwright CLI does not run (node bin/dagwright.js)"

AIRFLOW_VENV="$(bash scripts/venv.sh airflow-2.10.3)"
DAGFACTORY_VENV="$(bash scripts/venv.sh dag-factory)"

mkdir -p "$WORK"
dw_log "generating $COUNT pipelines (seed $SEED) in $WORK"
"$AIRFLOW_VENV/bin/python" "$HERE/gen.py" --out "$WORK" --count "$COUNT" --seed "$SEED" \
  --dagwright "node $DW_REPO/bin/dagwright.js" --repo "$DW_REPO"

dw_log "timing DagBag: $RUNS runs per variant"
"$AIRFLOW_VENV/bin/python" "$HERE/bench.py" --work "$WORK" \
  --airflow-python "$AIRFLOW_VENV/bin/python" --dagfactory-python "$DAGFACTORY_VENV/bin/python" \
  --runs "$RUNS" --importtime-runs "$IMPORTTIME_RUNS" --processor-runs "${PROCESSOR_RUNS:-3}" "$@"
