#!/usr/bin/env bash
# Cold start, measured two ways, forkwise and ProcessBuilder alternating in one run:
#  - first start: the time of the first start-and-wait inside a fresh JVM (StartOne prints it);
#  - whole JVM: the wall time of a whole `java` run that starts one /bin/true and exits, and the
#    CPU time (user + system, all its threads) it used.
# Also counts the classes each run loads (-Xlog:class+load), with and without jdk.jfr, and, with
# `aot`, repeats the forkwise runs with a JDK 25 AOT cache trained on one run (-XX:AOTCacheOutput).
# Usage: bench/coldstart.sh [runs (default 20)] [aot]
# Needs the library jar (mvn package); compiles StartOne itself.
set -euo pipefail
runs=${1:-20}
aot=${2:-}
cd "$(dirname "$0")/.."
source scripts/jdk.sh >/dev/null
java=$JAVA_HOME/bin/java
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Jars only on the class path: an AOT cache accepts no class directories.
jar=${FORKWISE_JAR:-target/forkwise.jar}   # FORKWISE_JAR: another build, to compare
"$JAVA_HOME/bin/javac" --release 22 -cp "$jar" -d "$tmp/classes" bench/src/main/java/dev/forkwise/bench/StartOne.java
"$JAVA_HOME/bin/jar" cf "$tmp/startone.jar" -C "$tmp/classes" dev/forkwise/bench/StartOne.class
cp=$jar:$tmp/startone.jar
opts=(--enable-native-access=ALL-UNNAMED -cp "$cp")

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s%N; }

contenders=(processBuilder forkwise firstDowncall)
TIMEFORMAT='%U %S'   # `time` prints user and system CPU seconds: steadier than wall time on a loaded machine
for ((i = 0; i < runs; i++)); do
  for c in "${contenders[@]}"; do
    t0=$(now)
    { time "$java" "${opts[@]}" dev.forkwise.bench.StartOne "$c" print >>"$tmp/$c.first"; } 2>>"$tmp/$c.cpu"
    t1=$(now)
    echo $(( (t1 - t0) / 1000 )) | awk '{print $1/1000}' >>"$tmp/$c.whole"
  done
done

classes() {   # prints: all, jdk.jfr, spun (LambdaForms, species, lambdas not from the CDS archive), forkwise's own
  "$java" "${opts[@]}" -Xlog:class+load:file="$tmp/cl.log" "$@" >/dev/null
  echo "$(wc -l <"$tmp/cl.log") $(grep -c ' jdk\.jfr' "$tmp/cl.log" || true)" \
    "$(grep 'LambdaForm\$\|\$\$Lambda\|Species_' "$tmp/cl.log" | grep -vc 'shared objects file' || true)" \
    "$(grep ' dev\.forkwise\.' "$tmp/cl.log" | grep -vc 'dev\.forkwise\.bench' || true)"
}

echo "machine: $(nproc) cores; $(uptime | sed 's/.*load/load/')"
echo "runs: $runs of each, alternating; medians in ms"
printf '%-16s %12s %12s %12s %10s %10s %10s %10s\n' contender first-start whole-JVM whole-JVM-CPU classes jdk.jfr spun forkwise
for c in "${contenders[@]}"; do
  read -r all jfr spun own < <(classes dev.forkwise.bench.StartOne "$c")
  cpu=$(awk '{print ($1 + $2) * 1000}' "$tmp/$c.cpu" | median)
  printf '%-16s %12s %12s %12s %10s %10s %10s %10s\n' "$c" "$(median <"$tmp/$c.first")" "$(median <"$tmp/$c.whole")" \
    "$cpu" "$all" "$jfr" "$spun" "$own"
done
pb_first=$(median <"$tmp/processBuilder.first"); fw_first=$(median <"$tmp/forkwise.first")
pb_whole=$(median <"$tmp/processBuilder.whole"); fw_whole=$(median <"$tmp/forkwise.whole")
awk -v a="$fw_first" -v b="$pb_first" -v c="$fw_whole" -v d="$pb_whole" \
  'BEGIN {printf "forkwise / ProcessBuilder: first start %.2fx, whole JVM %.2fx", a/b, c/d}'
awk -v a="$(awk '{print $1 + $2}' "$tmp/forkwise.cpu" | median)" -v b="$(awk '{print $1 + $2}' "$tmp/processBuilder.cpu" | median)" \
  'BEGIN {printf ", whole-JVM CPU time %.2fx\n", a/b}'

fl_first=$(median <"$tmp/firstDowncall.first")
awk -v a="$fl_first" -v b="$pb_first" -v c="$fw_first" \
  'BEGIN {printf "the floor (forkwise'"'"'s first call into C, starting nothing) / ProcessBuilder'"'"'s first start: %.2fx; forkwise above the floor: %.0f ms\n", a/b, c-a}'

if [[ $aot == aot ]]; then
  for c in "${contenders[@]}"; do   # each trained on one run of itself
    "$java" "${opts[@]}" -XX:AOTCacheOutput="$tmp/$c.aot" dev.forkwise.bench.StartOne "$c" >/dev/null 2>&1
  done
  for ((i = 0; i < runs; i++)); do
    for c in "${contenders[@]}"; do
      t0=$(now)
      "$java" "${opts[@]}" -XX:AOTCache="$tmp/$c.aot" dev.forkwise.bench.StartOne "$c" print >>"$tmp/$c.aotfirst"
      t1=$(now)
      echo $(( (t1 - t0) / 1000 )) | awk '{print $1/1000}' >>"$tmp/$c.aotwhole"
    done
  done
  echo "with an AOT cache trained on one run of the same program (-XX:AOTCache):"
  for c in "${contenders[@]}"; do
    printf '%-16s %12s %12s\n' "$c" "$(median <"$tmp/$c.aotfirst")" "$(median <"$tmp/$c.aotwhole")"
  done
fi
