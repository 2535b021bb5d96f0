#!/usr/bin/env bash
# Builds the library and the benchmarks, raises the descriptor and process limits as far as they
# go, and runs dev.forkwise.bench.ScaleCheck: N children of cat alive at once.
# Usage: bench/scale.sh forkwise|processBuilder [N] [pipes|fifo] [fit]   (N: 10000 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
mvn -B -q -DskipTests install
mvn -B -q -f bench/pom.xml package
source bench/limits.sh
echo "limits: $(ulimit -Sn) descriptors, $(ulimit -Su) processes (hard: $(ulimit -Hn), $(ulimit -Hu))" >&2
# A fixed, touched heap, as the suite runs it: RSS then grows by what is not heap.
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp bench/target/benchmarks.jar \
  dev.forkwise.bench.ScaleCheck "$@"
