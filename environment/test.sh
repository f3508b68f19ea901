#!/usr/bin/env bash
# Runs every test: sets up what is missing, runs the JUnit suite (mvn verify, which also refreshes lib/), the
# benchmark project's JUnit tests (environment/bench, against the library just verified), the Java kernel's own tests
# and a start-up test (20 starts, each running a cell; interrupt, live output and restart once), then executes every
# notebook headless in the quick profile. Exits non-zero on the first failure.
#   environment/test.sh
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
environment/setup.sh --no-build
echo "== JUnit (mvn verify)"
mvn -B -ntp -Dstyle.color=never clean verify
echo "== benchmark project (environment/bench: the library installed into ~/.m2, then its mvn verify)"
mvn -B -ntp -q -Dstyle.color=never install -DskipTests
mvn -B -ntp -Dstyle.color=never -f environment/bench/pom.xml clean verify
echo "== Java kernel JUnit (mvn -f environment/kernel/pom.xml verify)"
mvn -B -ntp -Dstyle.color=never -f environment/kernel/pom.xml verify
echo "== Java kernel start-up test (20 starts)"
JUPYTER_PATH="$(environment/runner/checkout-kernelspec.sh)${JUPYTER_PATH:+:$JUPYTER_PATH}" \
  /usr/bin/python3 environment/runner/kernel_starts.py --kernel java --starts 20 --interrupts 3
echo "== notebook runner self-test"
environment/runner/selftest.sh
echo "== notebooks (quick profile)"
environment/run-notebooks.sh --profile quick notebooks/*.ipynb
