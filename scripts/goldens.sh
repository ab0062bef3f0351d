#!/usr/bin/env bash
# Regenerates the golden DAGs beside the examples, for every Airflow version we target, and
# the published JSON Schema. Reviewers read the diff; CI checks the files are up to date.
# A spec that a target cannot express (an SLA on Airflow 3.0) is skipped for that target.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build || { echo "build failed" >&2; exit 1; }
for version in 2.10 2.11 3.0 3.1; do
  out="examples/dags/airflow-${version}"
  rm -rf "$out"
  status=0
  node bin/dagwright.js generate examples/*.yaml --airflow "$version" -o "$out" || status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then exit "$status"; fi
done
mkdir -p schema
node bin/dagwright.js schema > schema/pipeline-v1.json
node bin/dagwright.js schema --markdown > docs/spec.md
echo "goldens, schema/pipeline-v1.json and docs/spec.md regenerated"
