#!/usr/bin/env bash
# docker-compose.yml, run for real on this machine, then torn down:
#
#   bash scripts/compose-e2e.sh
#
#  1. docker.io (dockerd) and debootstrap, with apt-get if missing (`apt-get update` only if
#     the install fails); docker compose v5.6.0 built from the Go module proxy (cached in
#     ${DAGWRIGHT_CACHE:-~/.cache/dagwright}/bin).
#  2. its own dockerd: data root, exec root, pidfile and socket in a fresh temp dir,
#     --bridge=none --iptables=false --ip-forward=false --ip-masq=false (the host's network is
#     not changed; containers use the host's network, docker/ci/compose.ci.yml).
#  3. images built here, as registries cannot be reached: a Debian bookworm base from
#     `debootstrap --variant=minbase` (`docker import`), then Airflow from
#     python/requirements/airflow-3.0.6.lock (docker/airflow/Dockerfile, the same file users
#     build), PostgreSQL from Debian's packages, moto from tools.lock, and the services from
#     the host's Node and `npm run build` output (docker/ci/*.Dockerfile). Each image is cached
#     as a `docker save` tarball in $DAGWRIGHT_CACHE/images, keyed by the hashes of its inputs.
#  4. `dagwright local up --docker` of orders_e2e and outage_compose_e2e with the CI override on
#     free ports; the happy path and a warehouse outage (test/e2e/compose.e2e.test.ts: S3 and the
#     warehouse seeded, runs triggered through Airflow's REST API, warehouse rows, quarantine and
#     the loader's job records asserted; the warehouse container stopped and started again);
#     `dagwright local down --docker`.
#  5. dockerd stopped (by its PID), its directory removed; `ip link` and `iptables -S` compared
#     with before. Timings of every step are printed at the end.
#
# `--images-only` runs steps 1-3 and stops: it fills the caches (tools, compose, image tarballs)
# and starts no dockerd when every image is cached; test-all.sh runs it in the background
# while the unit tests run, so a cold machine builds the images meanwhile.
# Knobs: DAGWRIGHT_DOCKER_HOST (use that running engine instead of starting one, e.g. while
# developing), DAGWRIGHT_COMPOSE_KEEP=1 (leave the stack up), DAGWRIGHT_E2E_VERBOSE=1.
# Exit status: 0 when the stack came up and the happy path passed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$DW_REPO"
JUNIT=""
IMAGES_ONLY=0
while (($#)); do
  case "$1" in
    --junit) JUNIT="$(realpath -m "$2")"; shift 2 ;;   # vitest's JUnit report of the happy path, for test-all.sh's counts
    --images-only) IMAGES_ONLY=1; shift ;;   # steps 1-3 only: fill the caches (tools, compose, image tarballs), then stop
    *) dw_die "usage: scripts/compose-e2e.sh [--junit FILE] [--images-only]" ;;
  esac
done

COMPOSE_VERSION=v5.6.0
IMAGES="$DW_CACHE/images"
BIN="$DW_CACHE/bin"
mkdir -p "$IMAGES" "$BIN"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/dw-compose-e2e.XXXXXX")"
TIMES=()
T_ALL=$SECONDS
step_start() { STEP="$1"; T_STEP=$SECONDS; dw_log "== $1"; }
step_end() { TIMES+=("$(printf '%-44s %5ds' "$STEP" $((SECONDS - T_STEP)))"); }
report() {
  printf '\ncompose-e2e timings:\n' >&2
  printf '  %s\n' "${TIMES[@]}" >&2
  printf '  %-44s %5ds\n' total $((SECONDS - T_ALL)) >&2
}

DOCKERD_PID=""
NET_BEFORE="$(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sort)"
IPT_BEFORE="$( (iptables -S; iptables -t nat -S) 2>/dev/null || true)"
FWD_BEFORE="$(cat /proc/sys/net/ipv4/ip_forward 2>/dev/null || true)"
STACK="$WORK/stack"
COMPOSE_UP=0

cleanup() {
  local rc=$?
  set +e
  if [[ "$COMPOSE_UP" == 1 && -z "${DAGWRIGHT_COMPOSE_KEEP:-}" ]]; then
    step_start "local down --docker"
    node bin/dagwright.js local down --docker --dir "$STACK" >&2
    step_end
  fi
  if [[ -n "$DOCKERD_PID" && -z "${DAGWRIGHT_COMPOSE_KEEP:-}" ]]; then
    step_start "stop dockerd (pid $DOCKERD_PID)"
    kill -TERM "$DOCKERD_PID" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$DOCKERD_PID" 2>/dev/null && { dw_log "dockerd did not stop: SIGKILL"; kill -KILL "$DOCKERD_PID"; }
    # Anything still mounted under our data root (overlay layers) goes before the directory.
    grep -o " $WORK/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
    rm -rf "$WORK"
    step_end
    local after ipt fwd
    after="$(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sort)"
    ipt="$( (iptables -S; iptables -t nat -S) 2>/dev/null || true)"
    fwd="$(cat /proc/sys/net/ipv4/ip_forward 2>/dev/null || true)"
    if [[ "$after" != "$NET_BEFORE" || "$ipt" != "$IPT_BEFORE" || "$fwd" != "$FWD_BEFORE" ]]; then
      dw_log "WARNING: the host's network changed (ip link / iptables / ip_forward); compare:"
      diff <(echo "$NET_BEFORE"; echo "$IPT_BEFORE"; echo "fwd=$FWD_BEFORE") <(echo "$after"; echo "$ipt"; echo "fwd=$fwd") >&2
      rc=1
    else
      dw_log "host network unchanged (ip link, iptables, ip_forward)"
    fi
  fi
  [[ -n "${DAGWRIGHT_COMPOSE_KEEP:-}" ]] || rm -rf "$WORK"
  report
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ 1. tools
step_start "tools (docker.io, debootstrap, compose)"
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
((${#missing[@]} == 0)) || dw_apt_install "${missing[@]}" >&2
COMPOSE="$BIN/docker-compose-$COMPOSE_VERSION"
if [[ ! -x "$COMPOSE" ]]; then
  dw_log "building docker compose $COMPOSE_VERSION from the Go module proxy (about 4 minutes)"
  dir="$(go mod download -json "github.com/docker/compose/v5@$COMPOSE_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
  (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "-X github.com/docker/compose/v5/internal.Version=$COMPOSE_VERSION" -o "$COMPOSE.tmp.$$" ./cmd)
  mv "$COMPOSE.tmp.$$" "$COMPOSE"
fi
step_end

# The cached images and their keys (the hashes of what each is built from).
sha() { cat "$@" | sha256sum | cut -c1-12; }
image_tar() { echo "$IMAGES/$(echo "$1" | tr '/:' '__')-$2.tar"; }
BASE_TAR="$IMAGES/debian-bookworm-minbase.tar"
BASE_IMAGE=dagwright-ci/debian:bookworm
# The base comes first, as every image's key includes its tarball's identity.
if [[ ! -s "$BASE_TAR" ]]; then
  step_start "debootstrap bookworm (minbase)"
  debootstrap --variant=minbase bookworm "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; dw_die "debootstrap failed"; }
  tar -C "$WORK/rootfs" -cf "$BASE_TAR.tmp.$$" . && mv "$BASE_TAR.tmp.$$" "$BASE_TAR"
  rm -rf "$WORK/rootfs"
  step_end
fi
BASE_KEY="$(stat -c '%s-%Y' "$BASE_TAR")"
AIRFLOW_LOCK=python/requirements/airflow-3.0.6.lock
KEY_AIRFLOW="$(sha docker/airflow/Dockerfile docker/airflow/entrypoint.sh "$AIRFLOW_LOCK" <(echo "$BASE_KEY"))"
KEY_POSTGRES="$(sha docker/ci/postgres.Dockerfile docker/ci/postgres-entrypoint.sh <(echo "$BASE_KEY"))"
KEY_MOTO="$(sha docker/ci/moto.Dockerfile python/requirements/tools.lock <(echo "$BASE_KEY"))"
KEY_SERVICES_DEPS="$(sha docker/ci/services-deps.Dockerfile package-lock.json packages/dqdl/package.json <(node --version) <(echo "$BASE_KEY"))"
if ((IMAGES_ONLY)) && [[ -s "$(image_tar dagwright-ci/airflow:3.0.6 "$KEY_AIRFLOW")" && -s "$(image_tar dagwright-ci/postgres:15 "$KEY_POSTGRES")" \
      && -s "$(image_tar dagwright-ci/moto:5.2.5 "$KEY_MOTO")" && -s "$(image_tar dagwright-ci/services-deps:local "$KEY_SERVICES_DEPS")" ]]; then
  dw_log "every image is cached in $IMAGES: nothing to build"
  exit 0
fi

# ------------------------------------------------------------------ 2. dockerd
if [[ -n "${DAGWRIGHT_DOCKER_HOST:-}" ]]; then
  export DOCKER_HOST="$DAGWRIGHT_DOCKER_HOST"
  dw_log "using the running engine at $DOCKER_HOST"
else
  step_start "start dockerd"
  mkdir -p "$WORK/docker"
  export DOCKER_HOST="unix://$WORK/docker/docker.sock"
  dockerd --data-root "$WORK/docker/data" --exec-root "$WORK/docker/exec" --pidfile "$WORK/docker/dockerd.pid" \
    -H "$DOCKER_HOST" --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
    >"$WORK/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; kill -0 "$DOCKERD_PID" || { cat "$WORK/dockerd.log" >&2; dw_die "dockerd exited"; }; sleep 0.5; done
  docker version >/dev/null || dw_die "dockerd did not answer; log: $WORK/dockerd.log"
  dw_log "dockerd pid $DOCKERD_PID, storage driver $(docker info --format '{{.Driver}}')"
  step_end
fi

# ------------------------------------------------------------------ 3. images
base_loaded=0
ensure_base() {
  ((base_loaded)) && return 0
  step_start "docker import base"
  docker import "$BASE_TAR" "$BASE_IMAGE" >/dev/null
  step_end
  base_loaded=1
}

# image NAME:TAG KEY BUILD-FUNCTION: load the cached tarball for KEY, or build and save it.
image() {
  local ref="$1" key="$2" build="$3" tar
  tar="$(image_tar "$ref" "$key")"
  if [[ -s "$tar" ]]; then
    step_start "load $ref ($key)"
    docker load -i "$tar" >/dev/null
  else
    ensure_base
    step_start "build $ref ($key)"
    "$build" "$ref" >"$WORK/build-$(echo "$ref" | tr '/:' '__').log" 2>&1 \
      || { tail -40 "$WORK/build-$(echo "$ref" | tr '/:' '__').log" >&2; dw_die "building $ref failed"; }
    rm -f "$IMAGES/$(echo "$ref" | tr '/:' '__')"-*.tar   # older keys of this image
    docker save -o "$tar.tmp.$$" "$ref" && mv "$tar.tmp.$$" "$tar"
  fi
  step_end
}

# A build context with only what a Dockerfile copies, plus the host's CA bundle for pip.
context() {
  local ctx="$WORK/ctx-$1"; shift
  rm -rf "$ctx"; mkdir -p "$ctx/docker/build-ca"
  for f in "$@"; do mkdir -p "$ctx/$(dirname "$f")"; cp -a "$f" "$ctx/$f"; done
  [[ -f /etc/ssl/certs/ca-certificates.crt ]] && cp /etc/ssl/certs/ca-certificates.crt "$ctx/docker/build-ca/"
  echo "$ctx"
}
dbuild() { DOCKER_BUILDKIT=0 docker build --network host --build-arg "BASE_IMAGE=$BASE_IMAGE" "$@"; }

build_airflow() {
  local ctx; ctx="$(context airflow docker/airflow/Dockerfile docker/airflow/entrypoint.sh "$AIRFLOW_LOCK")"
  dbuild -f "$ctx/docker/airflow/Dockerfile" -t "$1" "$ctx"
}
build_postgres() {
  local ctx; ctx="$(context postgres docker/ci/postgres.Dockerfile docker/ci/postgres-entrypoint.sh)"
  dbuild -f "$ctx/docker/ci/postgres.Dockerfile" -t "$1" "$ctx"
}
build_moto() {
  local ctx; ctx="$(context moto docker/ci/moto.Dockerfile python/requirements/tools.lock)"
  dbuild -f "$ctx/docker/ci/moto.Dockerfile" -t "$1" "$ctx"
}
build_services_deps() {
  local ctx="$WORK/ctx-services-deps"
  rm -rf "$ctx"; mkdir -p "$ctx/app"
  cp "$(command -v node)" "$ctx/node"
  cp -a package.json package-lock.json node_modules "$ctx/app/"
  # The workspace package's manifest: without it npm prune drops the node_modules/@dagwright/dqdl
  # link (to ../../packages/dqdl), whose build build_services adds.
  mkdir -p "$ctx/app/packages/dqdl" && cp packages/dqdl/package.json "$ctx/app/packages/dqdl/"
  (cd "$ctx/app" && npm prune --omit=dev --offline --no-audit --no-fund >/dev/null && rm -f package-lock.json)
  dbuild -f "$DW_REPO/docker/ci/services-deps.Dockerfile" -t "$1" "$ctx"
}
# Not cached: a few seconds on top of the deps image (dist/ changes with every commit).
build_services() {
  local ctx="$WORK/ctx-services"
  rm -rf "$ctx"; mkdir -p "$ctx"
  cp -a dist "$ctx/dist"
  mkdir -p "$ctx/packages/dqdl" && cp -a packages/dqdl/dist "$ctx/packages/dqdl/dist"
  DOCKER_BUILDKIT=0 docker build --network host --build-arg "DEPS_IMAGE=$2" -f "$DW_REPO/docker/ci/services.Dockerfile" -t "$1" "$ctx"
}

image dagwright-ci/airflow:3.0.6 "$KEY_AIRFLOW" build_airflow
image dagwright-ci/postgres:15 "$KEY_POSTGRES" build_postgres
image dagwright-ci/moto:5.2.5 "$KEY_MOTO" build_moto
image dagwright-ci/services-deps:local "$KEY_SERVICES_DEPS" build_services_deps
if ((IMAGES_ONLY)); then
  dw_log "images built and cached in $IMAGES"
  exit 0
fi

step_start "npm run build (dist/ for the services image)"
npm run build >&2
step_end
step_start "build dagwright-ci/services:local (dist/ on the deps image)"
build_services dagwright-ci/services:local dagwright-ci/services-deps:local >"$WORK/build-services.log" 2>&1 \
  || { tail -40 "$WORK/build-services.log" >&2; dw_die "building dagwright-ci/services:local failed"; }
step_end

# ------------------------------------------------------------------ 4. MWAA's installs, then the stack and the happy path
# The Airflow image's entry point on its own: plugins.zip unzipped, requirements.txt installed
# against the lock, startup.sh's exports merged except the essential settings.
step_start "entrypoint: plugins.zip, requirements.txt, startup.sh"
chk="$WORK/entrypoint"; mkdir -p "$chk/requirements" "$chk/startup"
node --input-type=module -e "import { buildPluginsZip } from './dist/src/deploy/artifacts.js'; import { writeFileSync } from 'node:fs'; writeFileSync(process.argv[1], await buildPluginsZip());" "$chk/plugins.zip"
echo 'tabulate==0.9.0' >"$chk/requirements/requirements.txt"
printf '%s\n' 'export AIRFLOW__CORE__DEFAULT_TIMEZONE=Europe/Paris' 'export AIRFLOW__CORE__LOAD_EXAMPLES=True' >"$chk/startup/startup.sh"
docker run --rm --network host -e AIRFLOW__CORE__LOAD_EXAMPLES=False \
  -v "$chk/plugins.zip:/usr/local/airflow/plugins.zip:ro" -v "$chk/requirements:/usr/local/airflow/requirements:ro" \
  -v "$chk/startup:/usr/local/airflow/startup:ro" dagwright-ci/airflow:3.0.6 config list --section core >"$chk/out" 2>&1 \
  || { cat "$chk/out" >&2; dw_die "the Airflow image's entry point failed"; }
for want in '^\[entrypoint\] plugins.zip unzipped' 'Requirement already satisfied: tabulate==0.9.0' '^default_timezone = Europe/Paris$' '^load_examples = False$'; do
  grep -qE "$want" "$chk/out" || { cat "$chk/out" >&2; dw_die "entry point: no line matching $want"; }
done
dw_log "entry point: plugins.zip unzipped, requirements.txt installed against the lock, startup.sh merged (an essential setting kept)"
step_end

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
for name in AIRFLOW POSTGRES WAREHOUSE MOTO BOOKMARKS DQ LOADER WORKER_LOGS TRIGGER_LOGS; do
  var="DAGWRIGHT_PORT_$name"
  [[ -n "${!var:-}" ]] || export "$var=$(free_port)"
done
export DAGWRIGHT_LISTEN=127.0.0.1
export DAGWRIGHT_COMPOSE="$COMPOSE"
export DAGWRIGHT_COMPOSE_FILES="docker-compose.yml:docker/ci/compose.ci.yml"
export DAGWRIGHT_COMPOSE_PROJECT="dwe2e$$"

step_start "local up --docker (compose up --wait, pools, topics)"
COMPOSE_UP=1
node bin/dagwright.js local up --docker test/e2e/specs/orders_e2e.yaml test/e2e/specs/outage_compose_e2e.yaml --dir "$STACK" --pool warehouse=2 --retry-delay-scale 0.05 >&2
step_end

step_start "happy path and warehouse outage (test/e2e/compose.e2e.test.ts)"
reporters=()
[[ -z "$JUNIT" ]] || reporters=(--reporter=default --reporter=junit "--outputFile.junit=$JUNIT")
DAGWRIGHT_COMPOSE_STACK="$STACK" npx --no-install vitest run --config vitest.e2e.config.ts "${reporters[@]}" test/e2e/compose.e2e.test.ts >&2
step_end
