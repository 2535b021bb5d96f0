#!/usr/bin/env bash
# Cold start, measured two ways, forkwise and ProcessBuilder alternating in one run:
#  - first start: the time of the first start-and-wait inside a fresh JVM (StartOne prints it);
#  - whole JVM: the wall time of a whole `java` run that starts one /bin/true and exits.
# Also counts the classes each run loads (-Xlog:class+load), with and without jdk.jfr, and, with
# `aot`, repeats the forkwise runs with a JDK 25 AOT cache trained on one run (-XX:AOTCacheOutput).
# Usage: bench/coldstart.sh [runs (default 20)] [aot]
# Needs the library jar (mvn package) and bench/target/classes (mvn -f bench/pom.xml package).
set -euo pipefail
runs=${1:-20}
aot=${2:-}
cd "$(dirname "$0")/.."
source scripts/jdk.sh >/dev/null
java=$JAVA_HOME/bin/java
cp=${FORKWISE_JAR:-target/forkwise.jar}:bench/target/classes   # FORKWISE_JAR: another build, to compare
opts=(--enable-native-access=ALL-UNNAMED -cp "$cp")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s%N; }

contenders=(processBuilder forkwise)
for ((i = 0; i < runs; i++)); do
  for c in "${contenders[@]}"; do
    t0=$(now)
    "$java" "${opts[@]}" dev.forkwise.bench.StartOne "$c" print >>"$tmp/$c.first"
    t1=$(now)
    echo $(( (t1 - t0) / 1000 )) | awk '{print $1/1000}' >>"$tmp/$c.whole"
  done
done

classes() {   # prints: all-classes jfr-classes spun-classes
  "$java" "${opts[@]}" -Xlog:class+load:file="$tmp/cl.log" "$@" >/dev/null
  echo "$(wc -l <"$tmp/cl.log") $(grep -c ' jdk\.jfr' "$tmp/cl.log" || true) $(grep -c 'LambdaForm\$\|\$\$Lambda\|Species_' "$tmp/cl.log" || true)"
}

echo "machine: $(nproc) cores; $(uptime | sed 's/.*load/load/')"
echo "runs: $runs of each, alternating; medians in ms"
printf '%-16s %12s %12s %10s %10s %10s\n' contender first-start whole-JVM classes jdk.jfr spun
for c in "${contenders[@]}"; do
  read -r all jfr spun < <(classes dev.forkwise.bench.StartOne "$c")
  printf '%-16s %12s %12s %10s %10s %10s\n' "$c" "$(median <"$tmp/$c.first")" "$(median <"$tmp/$c.whole")" "$all" "$jfr" "$spun"
done
pb_first=$(median <"$tmp/processBuilder.first"); fw_first=$(median <"$tmp/forkwise.first")
pb_whole=$(median <"$tmp/processBuilder.whole"); fw_whole=$(median <"$tmp/forkwise.whole")
awk -v a="$fw_first" -v b="$pb_first" -v c="$fw_whole" -v d="$pb_whole" \
  'BEGIN {printf "forkwise / ProcessBuilder: first start %.2fx, whole JVM %.2fx\n", a/b, c/d}'

if [[ $aot == aot ]]; then
  "$java" "${opts[@]}" -XX:AOTCacheOutput="$tmp/fw.aot" dev.forkwise.bench.StartOne forkwise >/dev/null 2>&1
  "$java" "${opts[@]}" -XX:AOTCacheOutput="$tmp/pb.aot" dev.forkwise.bench.StartOne processBuilder >/dev/null 2>&1
  for ((i = 0; i < runs; i++)); do
    for c in "${contenders[@]}"; do
      cache=$tmp/fw.aot; [[ $c == processBuilder ]] && cache=$tmp/pb.aot
      t0=$(now)
      "$java" "${opts[@]}" -XX:AOTCache="$cache" dev.forkwise.bench.StartOne "$c" print >>"$tmp/$c.aotfirst"
      t1=$(now)
      echo $(( (t1 - t0) / 1000 )) | awk '{print $1/1000}' >>"$tmp/$c.aotwhole"
    done
  done
  echo "with an AOT cache trained on one run of the same program (-XX:AOTCache):"
  for c in "${contenders[@]}"; do
    printf '%-16s %12s %12s\n' "$c" "$(median <"$tmp/$c.aotfirst")" "$(median <"$tmp/$c.aotwhole")"
  done
fi
