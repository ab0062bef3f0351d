#!/usr/bin/env bash
# The one command that runs every dagwright test, on a fresh machine or a warm one.
#
#   bash scripts/test-all.sh
#
# 1. npm ci (only if node_modules is missing or lacks a workspace link), npm run build, npm run
#    typecheck (sources and tests: counted as one test)
# 2. the pinned venvs (scripts/venv.sh; cached outside the repo, built on first use)
# 3. moto and PostgreSQL on loopback (own runtime dir; stopped again on exit)
# 4. vitest (all three tiers: unit, process, integration), then pytest over python/tests and
#    test/airflow once per Airflow venv, each with a fresh AIRFLOW_HOME whose metadata DB was
#    made by `airflow db migrate`
# Every part runs even when an earlier one failed. vitest and pytest write JUnit XML reports
# into the results dir ($DAGWRIGHT_RUNTIME/results); scripts/test-summary.mjs counts them and
# prints one line per part and, last, the total:
#   Tests: N passed, N failed
# and the exit status is non-zero if anything failed (a test, or a step such as the build).
#
# Environment for the tests:
#   DAGWRIGHT_S3_ENDPOINT      moto endpoint (S3, SNS, ... on one port), e.g. http://127.0.0.1:5055
#   DAGWRIGHT_PG_URL           postgres://postgres@127.0.0.1:5433/dagwright
#   DAGWRIGHT_VENV_AIRFLOW_2_10, DAGWRIGHT_VENV_AIRFLOW_3_0, DAGWRIGHT_VENV_AIRFLOW_3_1,
#   DAGWRIGHT_VENV_TOOLS       venv directories;  DAGWRIGHT_RUFF  the pinned ruff binary
#   AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY=testing, AWS_DEFAULT_REGION=us-east-1,
#   AWS_EC2_METADATA_DISABLED=true  (no SDK ever looks for real credentials)
# and, in each pytest run: DAGWRIGHT_AIRFLOW_VENV, AIRFLOW_HOME, PYTHONPATH=$REPO/python,
#   AIRFLOW__CORE__LOAD_EXAMPLES=False, AIRFLOW__CORE__UNIT_TEST_MODE=False, an empty
#   AIRFLOW__CORE__DAGS_FOLDER and a sqlite metadata DB inside AIRFLOW_HOME,
#   AIRFLOW_CONN_AWS_DEFAULT  (an `aws` connection to the moto endpoint).
# 5. the end-to-end suite (test/e2e, vitest.e2e.config.ts) once per Airflow version in
#    DAGWRIGHT_E2E_AIRFLOW_VERSIONS (default "2.10 3.0"), each on a real local stack, and the
#    demo on Airflow 3.1.
#    DAGWRIGHT_E2E=0 skips them (and the demo).
# 6. docker-compose.yml run for real (scripts/compose-e2e.sh; DAGWRIGHT_COMPOSE_E2E=0 skips it);
#    on a cold machine its images are built in the background from the start (--images-only).
# Knobs: DAGWRIGHT_PG_PORT / DAGWRIGHT_MOTO_PORT (defaults 5433 / 5055; a busy default is
# replaced by a free port), DAGWRIGHT_AIRFLOW_VENVS (space-separated lock names to test
# against; default: every airflow-*.lock; DAGWRIGHT_PYTEST_JOBS of them at once, default 2),
# PYTEST_ADDOPTS and extra vitest args via DAGWRIGHT_VITEST_ARGS.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$DW_REPO"

T0=$SECONDS

# Our own runtime dir, so we never reuse (and then stop) services a developer started by hand.
if [[ -z "${DAGWRIGHT_RUNTIME:-}" ]]; then
  export DAGWRIGHT_RUNTIME="$(mktemp -d "${TMPDIR:-/tmp}/dagwright-test.XXXXXX")"
  OWN_RUNTIME=1
else
  OWN_RUNTIME=0
fi
DW_RUNTIME="$DAGWRIGHT_RUNTIME"
RESULTS="$DW_RUNTIME/results"
mkdir -p "$RESULTS"
# The parts of the summary, one line each, tab-separated, in order (scripts/test-summary.mjs).
PARTS="$RESULTS/parts.tsv"
: >"$PARTS"

step() { printf '\n=== %s\n' "$*"; }
# junit_part NAME EXIT_STATUS REPORT START: a run that writes the JUnit report REPORT, begun at
# $SECONDS == START.
junit_part() { printf 'junit\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$(( SECONDS - $4 ))" >>"$PARTS"; }
broken() { printf 'broken\t%s\t%s\n' "$1" "$2" >>"$PARTS"; }       # broken NAME NOTE: a step that failed outright
empty_part() { printf 'empty\t%s\t%s\n' "$1" "$2" >>"$PARTS"; }    # empty NAME NOTE: nothing to run
# check_part NAME EXIT_STATUS DETAIL START: one check counted as one test, through a JUnit
# report of one test case (failed, with DETAIL, unless EXIT_STATUS is 0).
check_part() {
  local xml="$RESULTS/${1// /-}.xml" failures=0 body=""
  if [[ "$2" != 0 ]]; then failures=1; body="<failure message=\"$3\"/>"; fi
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="%s" tests="1" failures="%s" errors="0" skipped="0"><testcase name="%s">%s</testcase></testsuite></testsuites>\n' \
    "$1" "$failures" "$1" "$body" >"$xml"
  junit_part "$1" "$2" "$xml" "$4"
}
took() { echo "($(( SECONDS - $1 ))s)"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Stops every local stack left under $E2E_TMP (a crashed e2e test process leaves its stack up).
sweep_stacks() {
  local state
  [[ -n "${E2E_TMP:-}" && -d "$E2E_TMP" ]] || return 0
  for state in "$E2E_TMP"/*/stack.json; do
    [[ -e "$state" ]] || continue
    node "$DW_REPO/bin/dagwright.js" local down --dir "$(dirname "$state")" 2>&1 | grep -E 'stopped|killed' | sed 's/^/  swept: /' || true
  done
}

cleanup() {
  [[ -n "${IMAGES_PID:-}" ]] && kill -TERM "$IMAGES_PID" 2>/dev/null
  sweep_stacks
  bash "$DW_REPO/scripts/moto.sh" stop >/dev/null 2>&1 || true
  bash "$DW_REPO/scripts/postgres.sh" stop >/dev/null 2>&1 || true
  local home
  for home in "$RESULTS"/pytest-*.home; do   # each pytest run's AIRFLOW_HOME, and its moto should it outlive the run
    [[ -s "$home" ]] && DAGWRIGHT_RUNTIME="$(cat "$home")/runtime" bash "$DW_REPO/scripts/moto.sh" stop >/dev/null 2>&1
    [[ -s "$home" ]] && rm -rf "$(cat "$home")"
  done
  if [[ "$OWN_RUNTIME" == 1 && -z "${DAGWRIGHT_KEEP_RUNTIME:-}" ]]; then rm -rf "$DW_RUNTIME"; fi
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

# ---------------------------------------------------------------- node: install and build
step "node: $(node --version 2>/dev/null || echo 'node missing'), npm $(npm --version 2>/dev/null)"
t=$SECONDS
NODE_OK=1
if ! dw_node_modules_ready; then
  echo "node_modules missing or without a workspace package's link: npm ci"
  npm ci --no-audit --no-fund || { broken "npm ci" "exit $?"; NODE_OK=0; }
fi
if [[ "$NODE_OK" == 1 ]]; then
  npm run build || broken "npm run build" "exit $?"
fi
echo "node steps $(took $t)"

# ---------------------------------------------------------------- typecheck: sources and tests
# tsconfig.test.json (npm run typecheck): the build's sources plus every test file. One test:
# 1 passed, or 1 failed with the number of errors.
step "typecheck (tsconfig.test.json: sources and tests)"
if [[ "$NODE_OK" == 1 ]]; then
  t=$SECONDS
  npm run --silent typecheck -- --pretty false >"$RESULTS/typecheck.log" 2>&1; rc=$?
  errors="$(grep -c 'error TS' "$RESULTS/typecheck.log")"
  [[ "$rc" == 0 ]] || cat "$RESULTS/typecheck.log"
  check_part "typecheck" "$rc" "exit $rc, $errors error(s)" "$t"
else
  broken "typecheck" "skipped: node install failed"
fi

# ---------------------------------------------------------------- python venvs
step "venvs"
declare -A VENV=() VENV_JOBS=()
AIRFLOW_LOCKS="${DAGWRIGHT_AIRFLOW_VENVS:-$(bash scripts/venv.sh --list | grep '^airflow-' | sort -V | tr '\n' ' ')}"
# Built side by side (a cold build is mostly downloads), then reported in order.
t=$SECONDS
for name in tools $AIRFLOW_LOCKS; do
  bash scripts/venv.sh "$name" >"$RESULTS/venv-$name.path" 2>"$RESULTS/venv-$name.log" &
  VENV_JOBS[$name]=$!
done
for name in tools $AIRFLOW_LOCKS; do
  if wait "${VENV_JOBS[$name]}" && [[ -s "$RESULTS/venv-$name.path" ]]; then
    VENV[$name]="$(cat "$RESULTS/venv-$name.path")"
    echo "$name: ${VENV[$name]}"
  else
    cat "$RESULTS/venv-$name.log"
    broken "venv $name" "could not be built"
  fi
done
echo "venvs $(took $t)"
# DAGWRIGHT_VENV_AIRFLOW_<major>_<minor> for each Airflow venv
for name in $AIRFLOW_LOCKS; do
  [[ -n "${VENV[$name]:-}" ]] || continue
  v="${name#airflow-}"; IFS=. read -r major minor _ <<<"$v"
  export "DAGWRIGHT_VENV_AIRFLOW_${major}_${minor}=${VENV[$name]}"
done
if [[ -n "${VENV[tools]:-}" ]]; then
  export DAGWRIGHT_VENV_TOOLS="${VENV[tools]}"
  export DAGWRIGHT_RUFF="${VENV[tools]}/bin/ruff"
fi

# ---------------------------------------------------------------- compose images, in the background
# On a cold machine the images docker-compose.yml needs take 10-15 minutes to build (mostly
# downloads); they are built while the unit tests run. Warm, this finds them cached at once.
IMAGES_PID=""
if [[ "${DAGWRIGHT_COMPOSE_E2E:-1}" == 1 ]]; then
  bash scripts/compose-e2e.sh --images-only >"$RESULTS/compose-images.log" 2>&1 &
  IMAGES_PID=$!
fi

# ---------------------------------------------------------------- services
step "services"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE
if [[ -z "${DAGWRIGHT_MOTO_PORT:-}" ]] && port_busy 5055; then
  export DAGWRIGHT_MOTO_PORT="$(free_port)"; echo "port 5055 busy: moto on $DAGWRIGHT_MOTO_PORT"
fi
if [[ -z "${DAGWRIGHT_PG_PORT:-}" ]] && port_busy 5433; then
  export DAGWRIGHT_PG_PORT="$(free_port)"; echo "port 5433 busy: postgres on $DAGWRIGHT_PG_PORT"
fi
t=$SECONDS
if DAGWRIGHT_S3_ENDPOINT="$(bash scripts/moto.sh start)"; then
  export DAGWRIGHT_S3_ENDPOINT
  echo "moto: $DAGWRIGHT_S3_ENDPOINT $(took $t)"
else
  broken "moto" "did not start"
fi
t=$SECONDS
if DAGWRIGHT_PG_URL="$(bash scripts/postgres.sh start)"; then
  export DAGWRIGHT_PG_URL
  echo "postgres: $DAGWRIGHT_PG_URL $(took $t)"
else
  broken "postgres" "did not start"
fi

# ---------------------------------------------------------------- vitest
# vitest_part NAME CONFIG [ENV=VALUE...] [-- VITEST_ARGS...]: one vitest run, counted from its
# JUnit report.
vitest_part() {
  local name="$1" config="$2"; shift 2
  local t=$SECONDS xml="$RESULTS/${name// /-}.xml" rc
  local envs=() args=()
  while (($#)); do
    if [[ "$1" == "--" ]]; then shift; args=("$@"); break; fi
    envs+=("$1"); shift
  done
  rm -f "$xml"
  env "${envs[@]}" npx --no-install vitest run -c "$config" --passWithNoTests --reporter=default --reporter=junit \
    --outputFile.junit="$xml" "${args[@]}"
  rc=$?
  junit_part "$name" "$rc" "$xml" "$t"
}

step "vitest"
if [[ "$NODE_OK" == 1 ]]; then
  # shellcheck disable=SC2086
  vitest_part vitest vitest.config.ts -- ${DAGWRIGHT_VITEST_ARGS:-}
else
  broken "vitest" "skipped: node install failed"
fi

# ---------------------------------------------------------------- pytest, once per Airflow venv
PY_DIRS=()
for d in python/tests test/airflow; do [[ -d "$d" ]] && PY_DIRS+=("$d"); done

# pytest_venv NAME (in a subshell): one pytest run under the venv NAME, with a moto of its own;
# exit 90 when moto or `airflow db migrate` failed.
pytest_venv() {
  local name="$1" venv="${VENV[$1]}" home t=$SECONDS
  home="$(mktemp -d "${TMPDIR:-/tmp}/dagwright-airflow-home.XXXXXX")"
  echo "$home" >"$RESULTS/pytest-$name.home"
  mkdir -p "$home/dags"
  # Its own moto: the suites publish to the same SNS topics, and two run side by side.
  local moto
  export DAGWRIGHT_RUNTIME="$home/runtime" DAGWRIGHT_MOTO_PORT
  DAGWRIGHT_MOTO_PORT="$(free_port)"
  moto="$(bash "$DW_REPO/scripts/moto.sh" start)" || { echo "moto did not start for $name"; return 90; }
  trap 'bash "$DW_REPO/scripts/moto.sh" stop >/dev/null 2>&1' EXIT
  export DAGWRIGHT_S3_ENDPOINT="$moto"
  export AIRFLOW_HOME="$home"
  export AIRFLOW__CORE__DAGS_FOLDER="$home/dags"
  export AIRFLOW__CORE__LOAD_EXAMPLES=False
  # Not Airflow's unit-test mode: that loads Airflow's own test config (LocalExecutor,
  # load_examples=True, tests.* deserialisation, different secret masking), made for
  # Airflow's test suite, not for testing DAGs as MWAA would run them.
  export AIRFLOW__CORE__UNIT_TEST_MODE=False
  export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$home/airflow.db"
  export AIRFLOW__LOGGING__BASE_LOG_FOLDER="$home/logs"
  export AIRFLOW_CONN_AWS_DEFAULT="{\"conn_type\": \"aws\", \"login\": \"testing\", \"password\": \"testing\", \"extra\": {\"region_name\": \"us-east-1\", \"endpoint_url\": \"${DAGWRIGHT_S3_ENDPOINT:-}\"}}"
  export DAGWRIGHT_AIRFLOW_VENV="$venv"
  export PYTHONPATH="$DW_REPO/python${PYTHONPATH:+:$PYTHONPATH}"
  export PATH="$venv/bin:$PATH"
  if ! "$venv/bin/airflow" db migrate >"$home/db-migrate.log" 2>&1; then
    tail -n 30 "$home/db-migrate.log"
    return 90
  fi
  echo "airflow db migrate $(took $t)"
  "$venv/bin/python" -m pytest -p no:cacheprovider -o junit_family=xunit2 \
    --junitxml="$RESULTS/pytest-$name.xml" -rfE "${PY_DIRS[@]}"
}

# The venvs' runs are independent (each its own AIRFLOW_HOME and SQLite DB; the tests use no
# shared service), and one pytest keeps one core busy: DAGWRIGHT_PYTEST_JOBS (default 2) run
# side by side. Each one's output is printed whole when it ends, in lock order.
PYTEST_JOBS="${DAGWRIGHT_PYTEST_JOBS:-2}"
declare -A PYTEST_PID=() PYTEST_T0=()
pytest_running() { local n=0 pid; for pid in "${PYTEST_PID[@]}"; do kill -0 "$pid" 2>/dev/null && n=$((n + 1)); done; echo "$n"; }
for name in $AIRFLOW_LOCKS; do
  if [[ -z "${VENV[$name]:-}" || ${#PY_DIRS[@]} == 0 ]]; then continue; fi
  while (( $(pytest_running) >= PYTEST_JOBS )); do sleep 2; done   # not `wait -n`: it would reap a job whose status is read below
  PYTEST_T0[$name]=$SECONDS
  (pytest_venv "$name") >"$RESULTS/pytest-$name.log" 2>&1 &
  PYTEST_PID[$name]=$!
done
for name in $AIRFLOW_LOCKS; do
  step "pytest on $name"
  venv="${VENV[$name]:-}"
  if [[ -z "$venv" ]]; then broken "pytest $name" "no venv"; continue; fi
  if ((${#PY_DIRS[@]} == 0)); then
    empty_part "pytest $name" "no python/tests or test/airflow yet"; continue
  fi
  wait "${PYTEST_PID[$name]}"; rc=$?
  t=${PYTEST_T0[$name]}
  cat "$RESULTS/pytest-$name.log"
  if [[ "$rc" == 90 ]]; then
    broken "pytest $name" "moto or airflow db migrate failed"
  elif [[ "$rc" == 5 ]]; then
    echo "pytest exit 5: no tests collected (counted as a pass for now)"
    empty_part "pytest $name" "no tests collected $(took $t)"
  else
    junit_part "pytest $name" "$rc" "$RESULTS/pytest-$name.xml" "$t"
  fi
done

# ---------------------------------------------------------------- end to end, once per Airflow version
# A whole local stack per version (`dagwright local up`: scheduler, dag-processor, triggerer,
# api-server/webserver, the services, moto), with the warehouse in the PostgreSQL above.
# By default one version per major, MWAA's (2.10 and 3.0), to keep CI well under an hour; the
# demo (its own e2e test) runs on 3.1. DAGWRIGHT_E2E_AIRFLOW_VERSIONS="2.10 3.0 3.1" runs the
# whole suite on 3.1 too (the demo then runs inside that pass).
# The stacks live under $E2E_TMP (the tests' TMPDIR): after each part, and on exit, any stack a
# crashed test process left running there is stopped (`local down`), so none outlives the run.
E2E_TMP="$DW_RUNTIME/e2e"
mkdir -p "$E2E_TMP"
E2E_VERSIONS="${DAGWRIGHT_E2E_AIRFLOW_VERSIONS:-2.10 3.0}"
[[ "${DAGWRIGHT_E2E:-1}" == 1 ]] || E2E_VERSIONS=""
for v in $E2E_VERSIONS; do
  step "end to end on Airflow $v"
  if [[ "$NODE_OK" != 1 ]]; then broken "e2e airflow-$v" "skipped: node install failed"; continue; fi
  vitest_part "e2e airflow-$v" vitest.e2e.config.ts TMPDIR="$E2E_TMP" DAGWRIGHT_E2E_AIRFLOW="$v" -- test/e2e/pipelines.e2e.test.ts test/e2e/assets.e2e.test.ts test/e2e/scopes.e2e.test.ts test/e2e/examples.e2e.test.ts test/e2e/demo.e2e.test.ts
  sweep_stacks
done
if [[ "${DAGWRIGHT_E2E:-1}" == 1 && " $E2E_VERSIONS " != *" 3.1 "* ]]; then
  step "the demo (end to end on Airflow 3.1)"
  if [[ "$NODE_OK" == 1 ]]; then
    vitest_part "demo airflow-3.1" vitest.e2e.config.ts TMPDIR="$E2E_TMP" DAGWRIGHT_E2E_AIRFLOW=3.1 -- test/e2e/demo.e2e.test.ts
    sweep_stacks
  else
    broken "demo airflow-3.1" "skipped: node install failed"
  fi
fi

# ---------------------------------------------------------------- docker-compose.yml, for real
# Its own dockerd (--bridge=none --iptables=false, host networking), images built here from the
# locks and Debian's packages and cached in ~/.cache/dagwright/images: about 2.5 minutes warm,
# 11-15 cold (scripts/compose-e2e.sh). Needs root, Go and apt; DAGWRIGHT_COMPOSE_E2E=0 skips it.
if [[ "${DAGWRIGHT_COMPOSE_E2E:-1}" == 1 ]]; then
  step "docker-compose.yml in containers (scripts/compose-e2e.sh)"
  t=$SECONDS; xml="$RESULTS/compose-e2e.xml"; rm -f "$xml"
  if [[ -n "$IMAGES_PID" ]]; then
    wait "$IMAGES_PID" || echo "building the images in the background failed (compose-e2e.sh tries again):"
    sed 's/^/  images: /' "$RESULTS/compose-images.log" | tail -n 25
  fi
  bash scripts/compose-e2e.sh --junit "$xml"; rc=$?
  junit_part "compose e2e" "$rc" "$xml" "$t"
fi

# ---------------------------------------------------------------- summary
step "summary ($(( SECONDS - T0 ))s)"
if command -v node >/dev/null 2>&1; then
  node scripts/test-summary.mjs "$PARTS"
else
  echo "node missing: no test was run"
  echo "Tests: 0 passed, 1 failed"
  false
fi
