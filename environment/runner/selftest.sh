#!/usr/bin/env bash
# Checks the notebook runner's failure path: a notebook whose second code cell throws must make the runner exit
# non-zero and name the notebook, the cell and the Java exception; the cell before it must have run.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nb="$tmp/failing-cell.ipynb"
/usr/bin/python3 - "$nb" <<'PY'
import sys, nbformat as f
nb = f.v4.new_notebook()
nb.cells = [f.v4.new_markdown_cell("runner self-test"),
            f.v4.new_code_cell('System.out.println("first cell ran");'),
            f.v4.new_code_cell('throw new IllegalStateException("deliberate failure for the runner self-test");')]
nb.metadata.kernelspec = {"name": "java", "display_name": "Java (dpm4j)", "language": "java"}
f.write(nb, sys.argv[1])
PY
out=$("$repo/environment/run-notebooks.sh" --results "$tmp/results" "$nb" 2>&1)
rc=$?
fail() { echo "runner self-test FAILED: $1"; echo "$out" | sed 's/^/  | /'; exit 1; }
[ "$rc" -ne 0 ] || fail "the runner exited 0 on a failing cell"
echo "$out" | grep -q "FAILED: $nb, cell 2" || fail "the output does not name the notebook and cell 2"
echo "$out" | grep -q "IllegalStateException: deliberate failure" || fail "the output does not carry the Java exception"
grep -q "first cell ran" "$tmp/results/failing-cell.failed.ipynb" || fail "the partial executed notebook lacks the first cell's output"
echo "runner self-test: a failing cell fails the run and is named (ok)"
