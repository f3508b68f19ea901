#!/usr/bin/env bash
# The main job: sets up, builds, executes the Table 1 notebooks in the standard profile and assembles
# results/table1.md and results/table1.csv (measured values beside the paper's).
#   environment/reproduce.sh [--profile standard|quick|paper]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
profile=standard
if [ "${1:-}" = "--profile" ]; then profile="${2:?--profile needs quick, standard or paper}"; fi
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
environment/setup.sh
# The tour, then the experiment notebooks that exist (01-..., 02-..., in order).
notebooks=(notebooks/00-tour.ipynb)
for nb in notebooks/[0-9][0-9]-*.ipynb; do
  [ "$nb" = notebooks/00-tour.ipynb ] || notebooks+=("$nb")
done
environment/run-notebooks.sh --profile "$profile" "${notebooks[@]}"
if jar tf lib/dpm4j.jar 2>/dev/null | grep -q '^org/dpm4j/cli/Main.class$'; then
  java -cp 'lib/*' org.dpm4j.cli.Main table1
else
  echo "reproduce: no Table 1 assembly in this build yet; executed notebooks are in results/"
fi
