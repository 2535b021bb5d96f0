#!/usr/bin/env bash
# Regenerates the bindings in src/ from forkwise.h and symbols.txt with jextract.
#
# jextract is not on Maven Central; get a build for JDK 22+ from https://jdk.java.net/jextract/ and
# put its bin/ on PATH (or set JEXTRACT). Run on Linux with glibc >= 2.34 headers installed.
# The facade that adds errno capture (src/main/java/dev/forkwise/bindings/Libc.java) is hand-written
# and is not touched by this script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jextract=${JEXTRACT:-$(command -v jextract || true)}
if [[ -z $jextract ]]; then
  echo "jextract not found: install it from https://jdk.java.net/jextract/ and put it on PATH (or set JEXTRACT)." >&2
  exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$jextract" --output "$out" @"$here/symbols.txt" "$here/forkwise.h"
rm -rf "$here/src/dev/forkwise/bindings"
mkdir -p "$here/src/dev/forkwise"
cp -r "$out/dev/forkwise/bindings" "$here/src/dev/forkwise/"
echo "Regenerated $(ls "$here/src/dev/forkwise/bindings" | wc -l) files in $here/src/dev/forkwise/bindings"
