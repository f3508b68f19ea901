#!/usr/bin/env bash
# The main job: sets up, builds, executes every notebook in the chosen profile (standard by default): the tour first,
# then the experiment notebooks in order, the schedule ablation (08) among them, and the tables notebook (07) last,
# after every run it assembles has been appended to the run log; then writes results/table1.md, table2.md (and .csv)
# of that profile from the command line, and says where the HTML is.
#   environment/reproduce.sh [--profile standard|quick|paper]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
profile=standard
if [ "${1:-}" = "--profile" ]; then profile="${2:?--profile needs quick, standard or paper}"; fi
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
environment/setup.sh
tables=notebooks/07-tables.ipynb
notebooks=(notebooks/00-tour.ipynb)
for nb in notebooks/[0-9][0-9]-*.ipynb; do
  [ "$nb" = notebooks/00-tour.ipynb ] || [ "$nb" = "$tables" ] || notebooks+=("$nb")
done
[ -f "$tables" ] && notebooks+=("$tables")
start=$(date +%s)
environment/run-notebooks.sh --profile "$profile" "${notebooks[@]}"
java -cp 'lib/*' org.dpm4j.results.AssembledTables --profile "$profile" --results results
echo "reproduce: profile $profile took $(( ($(date +%s) - start) / 60 )) min of notebooks"
echo "reproduce: HTML of every notebook in $repo/results/*.html (tables: $repo/results/07-tables.html)"
