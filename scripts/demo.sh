#!/usr/bin/env bash
# Builds forkwise and runs the ETXTBSY demo: the write-then-exec workload with ProcessBuilder, then
# with forkwise, side by side. Arguments: [threads] [iterations per thread] (default 20 100).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
mvn -B -q -DskipTests package
exec "$JAVA_HOME/bin/java" --enable-native-access=dev.forkwise \
  --module-path target/forkwise.jar --add-modules dev.forkwise \
  -cp target/test-classes dev.forkwise.demo.EtxtbsyDemo "$@"
