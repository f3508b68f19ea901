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
times=results/notebook-times.tsv
before=$( [ -f "$times" ] && wc -l < "$times" || echo 1 )
environment/run-notebooks.sh --profile "$profile" "${notebooks[@]}"
# This run's lines of the per-notebook record the runner keeps (wall and kernel CPU seconds, load), and their sums.
tail -n +"$((before + 1))" "$times" | awk -F'\t' '{printf "reproduce: %-32s %7.0f s wall %7.0f s CPU (load %s -> %s)\n", $2, $5, $6, $7, $8; w += $5; c += $6}
  END {printf "reproduce: all notebooks %.1f min wall, %.1f min kernel CPU\n", w / 60, c / 60}'
java -cp 'lib/*' org.dpm4j.results.AssembledTables --profile "$profile" --results results
echo "reproduce: profile $profile took $(( ($(date +%s) - start) / 60 )) min of notebooks"
echo "reproduce: HTML of every notebook in $repo/results/*.html (tables: $repo/results/07-tables.html)"
