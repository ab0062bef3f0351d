#!/usr/bin/env bash
# The demo on embedded defaults: the worked example (examples/orders_hourly_to_redshift.yaml)
# runs for real through Airflow's scheduler, the services, moto S3/SNS and a DuckDB warehouse,
# over three hours of order files and a rerun; then everything it started is stopped.
# Needs Node and Python 3.11; the first run builds the pinned Airflow venv (2-4 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
dw_node_modules_ready || npm ci --no-audit --no-fund
npm run --silent build
exec node bin/dagwright.js demo "$@"
