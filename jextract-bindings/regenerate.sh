#!/usr/bin/env bash
# Regenerates the bindings in src/ from forkwise.h and symbols.txt with jextract, replacing src/.
#
#   ./regenerate.sh [JEXTRACT_SOURCE_DIR]
#
# With a jextract source folder (the argument, or $JEXTRACT_SRC): compiles its src/main/java with
# the javac of a JDK >= 22 (found by scripts/jdk.sh), copies its resources, and runs it against a
# libclang found on this machine: $LIBCLANG if set, else Debian's /usr/lib/llvm-N/lib/libclang.so.1,
# preferring N = 13 (the version jextract recommends, and the one the committed files came from),
# else the newest N below 16. libclang 16 and later name anonymous structs and unions
# "struct (unnamed at FILE:LINE:COL)", which this jextract turns into uncompilable Java, so they are
# refused. The clang built-in headers (stddef.h...) are taken from beside that libclang, or from
# $CLANG_INCLUDE.
# Without a source folder: runs the jextract on PATH (or $JEXTRACT), which bundles its own libclang.
#
# The library compiles for Java 22, so the generated code must too: jextract commits from
# 2025-01-06 (7903735) on call SymbolLookup.findOrThrow, which is JDK 23. The output is compiled
# with javac --release 22 before it replaces src/; README.md names the jextract commit to use.
#
# The hand-written layer (src/main/java/dev/forkwise/bindings/Libc.java) is not touched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck source=../scripts/jdk.sh
source "$repo/scripts/jdk.sh"
release=22

jextract_src=${1:-${JEXTRACT_SRC:-}}
if [[ -n $jextract_src ]]; then
  [[ -d $jextract_src/src/main/java ]] || { echo "$jextract_src has no src/main/java: not a jextract source folder" >&2; exit 1; }
  echo "Compiling jextract from $jextract_src" >&2
  find "$jextract_src/src/main/java" -name '*.java' > "$work/sources"
  "$JAVA_HOME/bin/javac" -nowarn -d "$work/classes" @"$work/sources"
  cp -r "$jextract_src/src/main/resources/." "$work/classes/"

  version_of() { sed -n 's|^/usr/lib/llvm-\([0-9]*\)/.*|\1|p' <<< "$1"; }
  libclang=${LIBCLANG:-}
  if [[ -z $libclang ]]; then
    best=0
    for candidate in /usr/lib/llvm-*/lib/libclang.so.1; do
      [[ -e $candidate ]] || continue
      n=$(version_of "$candidate")
      if [[ $n -eq 13 ]]; then libclang=$candidate; break; fi
      if [[ $n -lt 16 && $n -gt $best ]]; then libclang=$candidate; best=$n; fi
    done
    if [[ -z $libclang ]]; then
      echo "No usable libclang: install libclang 13 (Debian: apt-get install libclang1-13 libclang-common-13-dev)" >&2
      echo "  or set LIBCLANG to a libclang.so of LLVM 15 or older." >&2
      exit 1
    fi
  fi
  n=$(version_of "$libclang")
  if [[ -n $n && $n -ge 16 ]]; then
    echo "$libclang is LLVM $n: libclang 16 and later break this jextract on anonymous structs; use 13." >&2
    exit 1
  fi
  include=${CLANG_INCLUDE:-}
  if [[ -z $include ]]; then
    for candidate in "$(dirname "$libclang")"/clang/*/include; do
      if [[ -f $candidate/stddef.h ]]; then include=$candidate; break; fi
    done
  fi
  [[ -n $include ]] || { echo "No clang built-in headers beside $libclang: install libclang-common-N-dev or set CLANG_INCLUDE." >&2; exit 1; }
  mkdir "$work/lib"
  ln -s "$(readlink -f "$libclang")" "$work/lib/libclang.so"
  echo "Running jextract with $(readlink -f "$libclang"), built-in headers $include" >&2
  jextract=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Djava.library.path="$work/lib"
            -cp "$work/classes" org.openjdk.jextract.JextractTool -I "$include")
else
  binary=${JEXTRACT:-$(command -v jextract || true)}
  if [[ -z $binary ]]; then
    echo "usage: $0 JEXTRACT_SOURCE_DIR (or set JEXTRACT_SRC), or put jextract on PATH (or set JEXTRACT)." >&2
    exit 1
  fi
  jextract=("$binary")
fi

# Relative paths: jextract writes no path into the files, but its diagnostics stay short.
(cd "$here" && "${jextract[@]}" --output "$work/out" @symbols.txt forkwise.h)
find "$work/out" -name '*.java' > "$work/generated"
if ! "$JAVA_HOME/bin/javac" --release "$release" -Xlint:none -d "$work/check" @"$work/generated" >&2; then
  echo "The generated code does not compile for Java $release (see above): use the jextract commit README.md names." >&2
  exit 1
fi
rm -rf "$here/src"
mkdir -p "$here/src"
cp -r "$work/out/." "$here/src/"
echo "Regenerated $(find "$here/src" -name '*.java' | wc -l) files in $here/src" >&2
