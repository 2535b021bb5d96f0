#!/usr/bin/env bash
# Runs OpenJDK's jtreg tests for ProcessBuilder and ProcessHandle twice, on the plain JDK and with
# forkwise's own agent (-javaagent:forkwise.jar, dev.forkwise.RoutingAgent) routing every
# ProcessBuilder.start()/startPipeline, and prints one line per test: plain result, routed result,
# and the starts the agent routed/passed through, as a second, test-only agent (src/test/jdk-suite,
# CountReport) writes them at each routed JVM's exit.
#
#   scripts/jdk-suite.sh TEST-TREE [TEST-PATH...]
#
# TEST-TREE is a checkout of OpenJDK's sources outside this repository (it needs test/jdk with its
# TEST.ROOT, test/lib, and test/jtreg-ext for @requires). TEST-PATHs default to
# test/jdk/java/lang/ProcessBuilder and test/jdk/java/lang/ProcessHandle.
# Environment: CONC (jtreg -conc, default 1), JTREG (default jtreg), WORK (default a new temp dir),
# ONLY=plain|routed to run one side (the other column then reads from an earlier WORK).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
[[ $# -ge 1 ]] || { echo "usage: $0 TEST-TREE [TEST-PATH...]" >&2; exit 2; }
tree=$(cd "$1" && pwd); shift
[[ -d $tree/test/jdk && -d $tree/test/lib ]] || { echo "$tree has no test/jdk and test/lib" >&2; exit 2; }
case $tree/ in "$repo"/*) echo "keep TEST-TREE outside the repository" >&2; exit 2;; esac
paths=("$@")
[[ ${#paths[@]} -gt 0 ]] || paths=(test/jdk/java/lang/ProcessBuilder test/jdk/java/lang/ProcessHandle)
source scripts/jdk.sh
jtreg=${JTREG:-jtreg}
conc=${CONC:-1}
work=${WORK:-$(mktemp -d /tmp/jdk-suite.XXXXXX)}
mkdir -p "$work"
echo "work directory: $work" >&2

# forkwise's jar, which is the agent, then the count reporter against it (--release 22 both).
mvn -B -q -o package -DskipTests >&2
fw=$(ls "$repo"/target/forkwise-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -n 1 || true)
[[ -n $fw ]] || fw=$repo/target/forkwise.jar
rm -rf "$work/agent" && mkdir -p "$work/agent/classes"
javac --release 22 -cp "$fw" -d "$work/agent/classes" \
  "$repo"/src/test/jdk-suite/dev/forkwise/jdksuite/*.java >&2
printf 'Premain-Class: dev.forkwise.jdksuite.CountReport\n' > "$work/agent/manifest"
(cd "$work/agent/classes" && jar cfm "$work/agent/count-report.jar" "$work/agent/manifest" dev/forkwise/jdksuite/*.class)

# The tests' C helpers: lib*.c become shared libraries, exe*.c programs, all in one -nativepath.
native=$work/native
rm -rf "$native" && mkdir -p "$native"
incs=(-D_GNU_SOURCE -I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux")
[[ -d $tree/test/lib/native ]] && incs+=(-I"$tree/test/lib/native")
for p in "${paths[@]}"; do
  while IFS= read -r c; do
    base=$(basename "$c" .c)
    case $base in
      lib*) gcc -O1 -shared -fPIC "${incs[@]}" -o "$native/$base.so" "$c" -lpthread >&2 || echo "cannot build $c" >&2 ;;
      exe*) gcc -O1 "${incs[@]}" -o "$native/${base#exe}" "$c" -lpthread >&2 || echo "cannot build $c" >&2 ;;
    esac
  done < <(find "$tree/$p" -name '*.c')
done

run() {   # run SIDE [JAVA-OPTIONS]
  local side=$1 opts=${2:-}
  rm -rf "$work/$side" && mkdir -p "$work/$side/counts"
  local args=(-jdk:"$JAVA_HOME" -conc:"$conc" -timeoutFactor:4 -nativepath:"$native"
              -w:"$work/$side/JTwork" -r:"$work/$side/JTreport" -v:summary)
  # Test options can make VMProps call the JVM flagful (OpenJDK's counts -X/-XX ones; the routed
  # options have none today, but a -X added here would), and that skips every @requires
  # vm.flagless test (Basic, TreeTest, PipesCloseOnExecTest): the ones that matter most.
  # OpenJDK's VMProps lets TEST_VM_FLAGLESS=true allow them; the routing is no flag those tests
  # guard against, as they start their child JVMs without the test's options.
  [[ -n $opts ]] && args+=(-javaoptions:"$opts" -e:TEST_VM_FLAGLESS=true)
  local start=$SECONDS
  local flagless=()
  [[ -n $opts ]] && flagless=(TEST_VM_FLAGLESS=true)
  (cd "$tree" && env "${flagless[@]}" "$jtreg" "${args[@]}" "${paths[@]}") > "$work/$side/jtreg.log" 2>&1 || true
  echo "$side run: $((SECONDS - start)) s" >&2
}

counts=$work/routed/counts
side=${ONLY:-both}
[[ $side == routed ]] || run plain
if [[ $side != plain ]]; then
  # forkwise's agent first: the reporter's premain then finds it installed, or says it is not.
  run routed "-javaagent:$fw --enable-native-access=ALL-UNNAMED -javaagent:$work/agent/count-report.jar -Dforkwise.routed.dir=$counts"
fi

result() {   # result SIDE TEST -> Passed/Failed/Error/not run
  local line
  line=$(grep -F -- "$2 " "$work/$1/JTreport/text/summary.txt" 2>/dev/null | head -n 1 || true)
  [[ -n $line ]] && awk '{print $2}' <<<"$line" | tr -d . || echo "-"
}
starts() {   # starts TEST -> "routed/delegated" summed over the test's JVMs, or "no-agent";
             # " INACTIVE" appended if forkwise's agent did not route in one of those JVMs
  local key r=0 d=0 f n=0 off=0
  key=$(sed 's/[^A-Za-z0-9._-]/_/g' <<<"$1")
  shopt -s nullglob
  local files=("$counts/$key".*)
  [[ ${#files[@]} -gt 0 ]] || files=("$counts/$(sed 's/[^A-Za-z0-9._-]/_/g' <<<"${1%%#*}")".*)
  for f in "${files[@]}"; do
    n=$((n + 1))
    r=$((r + $(sed -n '1s/^routed=\([0-9]*\) .*/\1/p' "$f")))
    d=$((d + $(sed -n '1s/^routed=[0-9]* delegated=\([0-9]*\).*/\1/p' "$f")))
    if grep -q '^routed=[0-9]* delegated=[0-9]* inactive: ' "$f"; then off=$((off + 1)); fi
  done
  [[ $n -gt 0 ]] || { echo "no-agent"; return; }
  [[ $off -eq 0 ]] && echo "$r/$d" || echo "$r/$d INACTIVE"
}

tests=$(cat "$work"/{plain,routed}/JTreport/text/summary.txt 2>/dev/null | awk '{print $1}' | sort -u)
unrouted=0
printf '%-62s %-8s %-8s %s\n' TEST PLAIN ROUTED 'STARTS(routed/delegated)'
for t in $tests; do
  p=$(result plain "$t"); r=$(result routed "$t"); s=$(starts "$t")
  if [[ $s == *INACTIVE ]]; then
    # forkwise's agent was loaded and did not route (CountReport wrote its state): a routed
    # pass that is not one, whatever the result says.
    unrouted=$((unrouted + 1))
  elif [[ $r == Passed && ( $s == no-agent || $s == 0/* ) ]]; then
    # jtreg starts a "@run driver" JVM without -javaoptions: the agent cannot reach it, so its
    # result says nothing about forkwise either way. Any other test without a routed start fails.
    if grep -q '@run driver' "$tree/test/jdk/${t%%#*}" 2>/dev/null; then
      s="$s (driver JVM: not routable)"
    else
      unrouted=$((unrouted + 1)); s="$s UNROUTED"
    fi
  fi
  printf '%-62s %-8s %-8s %s\n' "$t" "$p" "$r" "$s"
done
echo "(.jtr files: $work/{plain,routed}/JTwork; counts: $counts)"
if [[ $unrouted -gt 0 ]]; then
  echo "$unrouted routed test(s) passed without a start through forkwise in the test JVM," \
    "or ran where forkwise's agent was inactive (the counts files say why)" >&2
  exit 1
fi
