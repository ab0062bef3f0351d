#!/usr/bin/env bash
# The demo on embedded defaults: generate a DAG for every example spec, say where they are,
# then show what dagwright prints for a spec with mistakes. Needs Node only.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
echo "== dagwright generate examples -o build/dags"
node bin/dagwright.js generate examples -o build/dags
ls -1 build/dags/*.py | sed 's/^/   /'
echo
echo "== a spec with mistakes: dagwright validate test/fixtures/specs/broken_schema.yaml"
node bin/dagwright.js validate test/fixtures/specs/broken_schema.yaml || true
