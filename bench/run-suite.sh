#!/usr/bin/env bash
# Runs the whole benchmark suite and rewrites docs/benchmarks.md, docs/benchmarks.svg and
# docs/benchmarks.json.
# Usage: bench/run-suite.sh [quick|full]   (quick: a few minutes on 2 cores; full: about half an hour)
set -euo pipefail
mode=${1:-quick}
cd "$(dirname "$0")/.."
source scripts/jdk.sh
mvn -B -q -DskipTests install
mvn -B -q -f bench/pom.xml package
floor=""
if command -v cc >/dev/null 2>&1; then
  cc -O2 -pthread -o bench/target/startwait bench/c/startwait.c
  cc -O2 -pthread -o bench/target/writeexec bench/c/writeexec.c   # found by Suite beside startwait
  floor=bench/target/startwait
else
  echo "No C compiler (cc) found: the report will have no C floor and no C race workload." >&2
fi
source bench/limits.sh   # for the scale check's 10,000 children
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
  dev.forkwise.bench.Suite "$mode" docs/benchmarks.json docs $floor
