#!/usr/bin/env bash
# bench/fidelity: a differential test of dagwright's DQDL evaluator (`dagwright dq eval`)
# against Amazon deequ's own DQDL evaluator (com.amazon.deequ:deequ:2.1.0-spark-3.5 on PySpark
# 3.5.7), on a generated edge-case dataset. Run by hand, never by the test suite:
#
#   npm run bench:fidelity            (or: bash bench/fidelity/run.sh)
#
# Knobs: ROWS (2000), RUNS (3: timed evaluations per engine), FIDELITY_WORK (the data, results
# and reports; default ${DAGWRIGHT_CACHE:-~/.cache/dagwright}/bench-fidelity).
# Needs Java 17 (for Spark), PyPI (the deequ-spark venv, scripts/venv.sh) and Maven Central
# (the deequ jars, jars.sh), each fetched once and cached outside the repo, keyed by version.
# Exit 1 when a difference has no note in notes.json (see README.md).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/lib.sh"
cd "$DW_REPO"

ROWS="${ROWS:-2000}"
RUNS="${RUNS:-3}"
WORK="${FIDELITY_WORK:-$DW_CACHE/bench-fidelity}"
mkdir -p "$WORK"
[[ -d node_modules ]] || npm ci --no-audit --no-fund >&2
command -v java >/dev/null 2>&1 || dw_die "Spark needs Java (17): apt-get install openjdk-17-jre-headless"

VENV="$(bash scripts/venv.sh deequ-spark)"
JARS="$(bash "$HERE/jars.sh")"

# The data is keyed by the generator's text and ROWS: a changed gen.py makes a new file.
DATA="$WORK/edge-$ROWS-$(dw_sha12 "$HERE/gen.py").parquet"
if [[ ! -f "$DATA" ]]; then
  "$VENV/bin/python" "$HERE/gen.py" "$DATA.tmp" "$ROWS"
  mv "$DATA.tmp" "$DATA"
fi
dw_log "data: $DATA"

RUN="$WORK/run-$(date +%Y%m%dT%H%M%S)"
mkdir -p "$RUN"
dw_log "dagwright: dq eval --json"
"$VENV/bin/python" "$HERE/dagwright_eval.py" "$DATA" "$HERE/rules.dqdl" "$RUN/dagwright.json"
dw_log "deequ: every rule alone, then the timed ruleset $RUNS times (Spark on 2 cores: a few minutes)"
if ! TIMED_RUNS="$RUNS" "$VENV/bin/python" "$HERE/deequ_eval.py" "$DATA" "$HERE/rules.dqdl" "$JARS" \
    "$RUN/dagwright.json" "$RUN/deequ.json" "$RUN/timed.dqdl" >"$RUN/deequ.log" 2>&1; then
  tail -n 30 "$RUN/deequ.log" >&2
  dw_die "deequ run failed (log: $RUN/deequ.log)"
fi
dw_log "dagwright: timing the same ruleset $RUNS times"
npx --no-install tsx --conditions=@dagwright/source "$HERE/time-dagwright.ts" "$DATA" "$RUN/timed.dqdl" "$RUNS" >"$RUN/dagwright-timing.json"
"$VENV/bin/python" "$HERE/compare.py" --rules "$HERE/rules.dqdl" --dagwright "$RUN/dagwright.json" \
  --deequ "$RUN/deequ.json" --timing "$RUN/dagwright-timing.json" --notes "$HERE/notes.json" --report "$RUN/report.md"
