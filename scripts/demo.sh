#!/usr/bin/env bash
# Builds forkwise and runs the ETXTBSY demo: the write-then-exec workload with ProcessBuilder, then
# with forkwise, side by side. Arguments: [threads] [iterations per thread] (default 20 100).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
# Maven's output goes to a log, shown only if the build fails: Maven 3.8 writes colour-reset escapes
# even with -q -Dstyle.color=never, and the demo's output is its table alone.
log=target/demo-build.log
mkdir -p target
if ! mvn -B -q -Dstyle.color=never -DskipTests package >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=dev.forkwise \
  --module-path target/forkwise.jar --add-modules dev.forkwise \
  -cp target/test-classes dev.forkwise.demo.EtxtbsyDemo "$@"
