#!/usr/bin/env bash
# What the agent costs a JVM (issue 11): whole `java` runs, alternating, medians.
#  - idle: a program that starts no process, plain, with an empty agent (the JVM's own price for
#    any -javaagent), and with -javaagent:forkwise.jar. forkwise's share is the difference from
#    the empty agent; the budget is 20 ms.
#  - classes: the same, loading about 1,900 classes, as a large application does: an agent that
#    left a class-file transformer registered would make each load slower.
#  - first start: one /bin/true through ProcessBuilder.start() on the plain JDK, through
#    Spawner.start without the agent, and through ProcessBuilder.start() routed by the agent
#    (StartOne's own timing of the first start, and the whole run).
# Usage: bench/agentstart.sh [runs (default 20)]. Needs the library jar (mvn package).
set -euo pipefail
runs=${1:-20}
cd "$(dirname "$0")/.."
source scripts/jdk.sh >/dev/null
java=$JAVA_HOME/bin/java
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jar=${FORKWISE_JAR:-target/forkwise.jar}
"$JAVA_HOME/bin/javac" --release 22 -cp "$jar" -d "$tmp/classes" bench/src/main/java/dev/forkwise/bench/StartOne.java
"$JAVA_HOME/bin/jar" cf "$tmp/startone.jar" -C "$tmp/classes" dev/forkwise/bench/StartOne.class
# The empty agent: a premain that does nothing, with the same manifest flag as forkwise's.
mkdir -p "$tmp/empty/src"
printf 'public class EmptyAgent { public static void premain(String a, java.lang.instrument.Instrumentation i) { } }\n' \
  >"$tmp/empty/src/EmptyAgent.java"
"$JAVA_HOME/bin/javac" --release 22 -d "$tmp/empty" "$tmp/empty/src/EmptyAgent.java"
printf 'Premain-Class: EmptyAgent\nCan-Retransform-Classes: true\n' >"$tmp/empty/manifest"
"$JAVA_HOME/bin/jar" cfm "$tmp/empty.jar" "$tmp/empty/manifest" -C "$tmp/empty" EmptyAgent.class

cp=(--enable-native-access=ALL-UNNAMED -cp "$jar:$tmp/startone.jar")
declare -A opts=(
  [idle-plain]=""
  [idle-emptyAgent]="-javaagent:$tmp/empty.jar"
  [idle-forkwiseAgent]="-javaagent:$jar"
  [classes-plain]=""
  [classes-emptyAgent]="-javaagent:$tmp/empty.jar"
  [classes-forkwiseAgent]="-javaagent:$jar"
  [first-processBuilder]=""
  [first-spawner]=""
  [first-routedProcessBuilder]="-javaagent:$jar"
)
declare -A mode=(
  [idle-plain]=idle [idle-emptyAgent]=idle [idle-forkwiseAgent]=idle
  [classes-plain]=loadClasses [classes-emptyAgent]=loadClasses [classes-forkwiseAgent]=loadClasses
  [first-processBuilder]=processBuilder [first-spawner]=forkwise [first-routedProcessBuilder]=processBuilder
)
order=(idle-plain idle-emptyAgent idle-forkwiseAgent classes-plain classes-emptyAgent classes-forkwiseAgent first-processBuilder first-spawner first-routedProcessBuilder)
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s%N; }
for ((i = 0; i < runs; i++)); do
  for c in "${order[@]}"; do
    t0=$(now)
    # shellcheck disable=SC2086
    "$java" ${opts[$c]} "${cp[@]}" dev.forkwise.bench.StartOne "${mode[$c]}" print >>"$tmp/$c.first"
    t1=$(now)
    echo $(( (t1 - t0) / 1000 )) | awk '{print $1/1000}' >>"$tmp/$c.whole"
  done
done
echo "machine: $(nproc) cores; $(uptime | sed 's/.*load/load/')"
echo "runs: $runs of each, alternating; medians in ms"
printf '%-28s %12s %12s\n' run first-start whole-JVM
for c in "${order[@]}"; do
  printf '%-28s %12s %12s\n' "$c" "$(median <"$tmp/$c.first")" "$(median <"$tmp/$c.whole")"
done
m() { median <"$tmp/$1.whole"; }
f() { median <"$tmp/$1.first"; }
awk -v p="$(m idle-plain)" -v e="$(m idle-emptyAgent)" -v a="$(m idle-forkwiseAgent)" \
  'BEGIN {printf "idle JVM: forkwise agent %+.0f ms over the empty agent (budget 20), the empty agent %+.0f ms over none\n", a-e, e-p}'
awk -v p="$(m classes-plain)" -v e="$(m classes-emptyAgent)" -v a="$(m classes-forkwiseAgent)" \
  'BEGIN {printf "JVM loading 1,900 classes: forkwise agent %+.0f ms over the empty agent, the empty agent %+.0f ms over none\n", a-e, e-p}'
awk -v pb="$(f first-processBuilder)" -v sp="$(f first-spawner)" -v r="$(f first-routedProcessBuilder)" \
  'BEGIN {printf "first start: routed %.1f ms, Spawner.start %.1f ms, ProcessBuilder %.1f ms: routed / Spawner %.2fx, routed / ProcessBuilder %.2fx\n", r, sp, pb, r/sp, r/pb}'
