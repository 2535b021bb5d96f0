#!/usr/bin/env bash
# Builds forkwise and runs the whole test suite: the posix_spawn path, then the ProcessBuilder
# fallback path (the same side-by-side tests with -Ddev.forkwise.forceFallback=true).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh
exec mvn -B verify "$@"
