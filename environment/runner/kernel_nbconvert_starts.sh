#!/usr/bin/env bash
# Executes a one-cell notebook N times with `jupyter nbconvert --execute` on a kernelspec and counts the runs that
# worked (the cell's value in the executed copy).
#   environment/runner/kernel_nbconvert_starts.sh [kernel name, default java] [N, default 30]
# The kernelspec is found on JUPYTER_PATH as usual.
set -uo pipefail
kernel="${1:-java}"
n="${2:-30}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 - "$tmp/start.ipynb" "$kernel" <<'PY'
import sys, nbformat as f
nb = f.v4.new_notebook()
nb.cells = [f.v4.new_code_cell("int n = 21;\nn * 2")]
nb.metadata.kernelspec = {"name": sys.argv[2], "display_name": "Java (dpm4j)", "language": "java"}
f.write(nb, sys.argv[1])
PY
ok=0
for i in $(seq 1 "$n"); do
  start=$(date +%s%N)
  if /usr/bin/python3 -m nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name="$kernel" \
       --output "$tmp/out.ipynb" "$tmp/start.ipynb" >"$tmp/log" 2>&1 \
     && /usr/bin/python3 -c 'import sys, nbformat as f
outs = f.read(sys.argv[1], as_version=4).cells[0].outputs
sys.exit(0 if any(o.get("data", {}).get("text/plain") == "42" for o in outs) else 1)' "$tmp/out.ipynb"; then
    ok=$((ok + 1))
    echo "run $i: ok in $(( ($(date +%s%N) - start) / 1000000 )) ms"
  else
    echo "run $i: FAILED"; sed 's/^/  | /' "$tmp/log" | grep -v 'INFO Loop' | tail -5
  fi
  rm -f "$tmp/out.ipynb"
done
echo "nbconvert runs: $ok of $n executed the cell"
[ "$ok" -eq "$n" ]
