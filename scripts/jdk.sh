# Sourced by the other scripts: finds a JDK >= 22 and Maven, and exports JAVA_HOME and MAVEN_OPTS.
# Order: $JAVA_HOME if it is new enough, else the newest JDK >= 22 in the usual install folders.

required=22

jdk_feature() {   # prints the feature version of the JDK in $1, or nothing
  local home=$1 version=""
  [[ -x $home/bin/java && -x $home/bin/javac ]] || return 0
  if [[ -f $home/release ]]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [[ -z $version ]]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  version=${version#1.}
  echo "${version%%[.+-]*}"
}

find_jdk() {
  local feature best="" best_feature=0 home
  if [[ -n ${JAVA_HOME:-} ]]; then
    feature=$(jdk_feature "$JAVA_HOME")
    if [[ -n $feature && $feature -ge $required ]]; then
      echo "$JAVA_HOME"
      return 0
    fi
  fi
  local candidates=(/usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*/jdk*
                    /Library/Java/JavaVirtualMachines/*/Contents/Home
                    "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.gradle/jdks/*)
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in "${candidates[@]}"; do
    [[ -d $home ]] || continue
    feature=$(jdk_feature "$home")
    if [[ -n $feature && $feature -ge $required && $feature -gt $best_feature ]]; then
      best=$home
      best_feature=$feature
    fi
  done
  [[ -n $best ]] && echo "$best"
}

JAVA_HOME=$(find_jdk) || true
if [[ -z $JAVA_HOME ]]; then
  echo "forkwise needs a JDK $required or later (for java.lang.foreign), and none was found:" >&2
  echo "  JAVA_HOME is unset or older, and /usr/lib/jvm, /usr/java, /opt, ~/.sdkman and ~/.jdks hold none." >&2
  echo "  Install one (for example Temurin 25 from https://adoptium.net) and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

if ! command -v mvn >/dev/null 2>&1; then
  echo "forkwise builds with Apache Maven 3.8 or later, and mvn is not on PATH." >&2
  echo "  Install it (Debian/Ubuntu: apt-get install maven; elsewhere https://maven.apache.org/install.html)." >&2
  exit 1
fi
# Maven's own Guava uses sun.misc.Unsafe, which JDK 24+ warns about on every build.
if [[ $(jdk_feature "$JAVA_HOME") -ge 24 ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
echo "Using JDK $(jdk_feature "$JAVA_HOME") at $JAVA_HOME" >&2
