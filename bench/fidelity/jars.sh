#!/usr/bin/env bash
# The deequ jars of bench/fidelity, fetched from Maven Central with Maven (the ordinary client)
# once and cached by version: prints the folder holding them,
# ${DAGWRIGHT_CACHE:-~/.cache/dagwright}/bench-fidelity/jars/deequ-<v>_dqdl-<v>.
#
# Only two jars, not deequ's whole dependency tree: the rest of what deequ needs at run time
# (Spark 3.5.7, Scala 2.12, breeze 2.1.0, antlr4-runtime, jackson) is what the PySpark 3.5.7
# wheel ships in pyspark/jars, and deequ's pom names `software.amazon.glue:dqdl:1.0.7`, which
# Maven Central does not have: its only version there is 1.0.0 (see bench/fidelity/README.md for
# the rules that leaves out).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/lib.sh"

DEEQU="${DEEQU_VERSION:-2.1.0-spark-3.5}"
DQDL="${DQDL_VERSION:-1.0.0}"
final="$DW_CACHE/bench-fidelity/jars/deequ-${DEEQU}_dqdl-${DQDL}"
if [[ -f "$final/.complete" ]]; then echo "$final"; exit 0; fi
command -v mvn >/dev/null 2>&1 || dw_apt_install maven >&2
tmp="$final.tmp.$$"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"
for artifact in "com.amazon.deequ:deequ:$DEEQU" "software.amazon.glue:dqdl:$DQDL"; do
  dw_log "fetching $artifact"
  mvn -q -B -Dmaven.repo.local="$DW_CACHE/maven" dependency:copy \
    -Dartifact="$artifact" -Dtransitive=false -DoutputDirectory="$tmp" >&2
done
touch "$tmp/.complete"
rm -rf "$final"
mv -T "$tmp" "$final"
trap - EXIT
echo "$final"
