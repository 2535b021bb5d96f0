#!/usr/bin/env bash
# Builds the library and the benchmarks, then runs JMH.
# Usage: bench/run.sh [JMH arguments...], e.g. bench/run.sh ExitLatency -f 1 -wi 3 -i 5
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
mvn -B -q -DskipTests install
mvn -B -q -f bench/pom.xml package
exec "$JAVA_HOME/bin/java" -jar bench/target/benchmarks.jar "$@"
