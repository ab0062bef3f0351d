#!/usr/bin/env bash
# What an MWAA container does before Airflow starts, in MWAA's order:
#   1. plugins.zip (mounted at $AIRFLOW_HOME/plugins.zip) is unzipped into $AIRFLOW_HOME/plugins;
#   2. requirements/requirements.txt is installed with pip, with the image's lock as
#      constraints unless the file names its own (-c / --constraint);
#   3. startup/startup.sh is sourced (at most 5 minutes) and the variables it exports join
#      Airflow's environment, except protected names and the essential settings
#      (skipped for `db migrate`, as MWAA skips it for migrate-db);
# then `exec airflow "$@"`.
set -euo pipefail
home="${AIRFLOW_HOME:-/usr/local/airflow}"
say() { printf '[entrypoint] %s\n' "$*" >&2; }

if [[ -f "$home/plugins.zip" ]]; then
  rm -rf "${home:?}/plugins" && mkdir -p "$home/plugins"
  unzip -q -o "$home/plugins.zip" -d "$home/plugins"
  say "plugins.zip unzipped into $home/plugins ($(find "$home/plugins" -type f | wc -l) files)"
fi

req="$home/requirements/requirements.txt"
if [[ -f "$req" ]] && grep -qvE '^[[:space:]]*(#|$)' "$req"; then
  constraint=()
  grep -qE '^[[:space:]]*(-c|--constraint)' "$req" || constraint=(-c /opt/airflow/constraints.txt)
  say "pip install -r $req ${constraint[*]}"
  pip install --no-cache-dir --disable-pip-version-check --no-input -r "$req" "${constraint[@]}" >&2
fi

if [[ "${1:-}" != db && -f "$home/startup/startup.sh" ]]; then
  # Essential settings and protected names win over whatever startup.sh exports.
  keep="$(declare -px | grep -E '^declare -x (AIRFLOW_HOME|PYTHONPATH|PATH|AWS_REGION|AWS_DEFAULT_REGION|AWS_EXECUTION_ENV|MWAA__[A-Z0-9_]*|AIRFLOW__CORE__LOAD_EXAMPLES|AIRFLOW__CORE__FERNET_KEY|AIRFLOW__SCHEDULER__STANDALONE_DAG_PROCESSOR|AIRFLOW__LOGGING__COLORED_CONSOLE_LOG|AIRFLOW__CORE__AUTH_MANAGER|AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS|AIRFLOW__API_AUTH__JWT_SECRET|AIRFLOW__EXECUTION_API__JWT_EXPIRATION_TIME|AIRFLOW__CORE__EXECUTOR|AIRFLOW__DATABASE__SQL_ALCHEMY_CONN|AIRFLOW__CORE__EXECUTION_API_SERVER_URL)=' || true)"
  exported="$(mktemp)"
  say "sourcing $home/startup/startup.sh (5-minute limit)"
  timeout 300 bash -c 'source "$1" >&2; env -0' startup "$home/startup/startup.sh" >"$exported" \
    || { say "startup.sh failed or timed out"; exit 1; }
  while IFS= read -r -d '' pair; do
    name="${pair%%=*}"
    [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] && export "$pair"
  done <"$exported"
  rm -f "$exported"
  eval "$keep"
fi

exec airflow "$@"
