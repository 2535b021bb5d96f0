#!/usr/bin/env bash
# Runs the test suite against another glibc: builds forkwise here, then runs the tests inside a
# Debian root file system made with debootstrap (root, network to deb.debian.org, and debootstrap
# needed). Example: scripts/test-on-debian.sh trixie   (glibc 2.41: pidfd_spawn)
# Not part of CI; used to check the code paths this machine's glibc does not take.
set -euo pipefail
suite=${1:?usage: scripts/test-on-debian.sh SUITE (e.g. trixie)}
cd "$(dirname "$0")/.."
source scripts/jdk.sh
root=${DEBIAN_ROOT:-/tmp/forkwise-$suite}
[[ -x $root/bin/sh ]] || debootstrap --variant=minbase "$suite" "$root" http://deb.debian.org/debian
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cp=$(cat target/test-classpath.txt)
mvn -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.3
console=$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/1.14.3/junit-platform-console-standalone-1.14.3.jar
rm -rf "$root/opt/forkwise" "$root/opt/jdk" "$root/opt/lib"
mkdir -p "$root/opt/forkwise" "$root/opt/lib"
cp -a "$JAVA_HOME" "$root/opt/jdk"
cp -a pom.xml src jextract-bindings target "$root/opt/forkwise/"
tr ':' '\n' <<<"$cp" | grep -v junit | xargs -I{} cp {} "$root/opt/lib/"
cp "$console" "$root/opt/lib/"
for fs in proc sys dev; do mountpoint -q "$root/$fs" || mount --bind "/$fs" "$root/$fs"; done
trap 'for fs in proc sys dev; do umount "$root/$fs" 2>/dev/null || true; done' EXIT
chroot "$root" /usr/bin/ldd --version | head -n 1
chroot "$root" /bin/sh -c "cd /opt/forkwise && PATH=/usr/bin:/bin /opt/jdk/bin/java --enable-native-access=ALL-UNNAMED \
  -cp 'target/classes:target/test-classes:/opt/lib/*' org.junit.platform.console.ConsoleLauncher execute \
  --scan-class-path --exclude-tag fallback --details=summary --disable-banner"
