#!/usr/bin/env bash
# Starts dpm4j's Java kernel (environment/kernel: JShell cells on JJava's protocol library) with dpm4j's lib/ on
# JShell's class path. The kernelspec written by setup.sh runs this script; values already in the environment win, so
# a caller (the notebook runner, a user) can override any of them.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=environment/versions.sh
. "$repo/environment/versions.sh"
export DPM4J_HOME="${DPM4J_HOME:-$repo}"
export DPM4J_KERNEL_CLASSPATH="${DPM4J_KERNEL_CLASSPATH:-$DPM4J_HOME/lib/*}"
# Small networks run fastest on one thread here; two oversubscribe a 2-vCPU machine.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
jar="$repo/$KERNEL_JAR"
if [ ! -f "$jar" ]; then
  echo "dpm4j: kernel jar $jar is missing; run environment/setup.sh" >&2
  exit 1
fi
# shellcheck disable=SC2086
exec java -Djava.awt.headless=true ${DPM4J_KERNEL_JVM_OPTS:--Xmx8g} -jar "$jar" "$@"
