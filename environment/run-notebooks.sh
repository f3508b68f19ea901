#!/usr/bin/env bash
# Executes notebooks headless on the Java kernel, in a profile, writing executed copies and HTML to results/.
#   environment/run-notebooks.sh [--profile quick|standard|paper] [--kernel NAME] notebook.ipynb ...
# The kernel is this checkout's `java` kernelspec unless --kernel (or DPM4J_KERNEL_NAME) names another one.
# Exits non-zero naming each failing notebook and cell, with the Java exception.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$repo/environment/versions.sh"
# This checkout's own kernelspec comes first, so a run never uses another checkout's kernel or lib/.
spec_root=$("$repo/environment/runner/checkout-kernelspec.sh")
export JUPYTER_PATH="$spec_root${JUPYTER_PATH:+:$JUPYTER_PATH}"
export DPM4J_HOME="$repo"
export DPM4J_KERNEL_CLASSPATH="$repo/lib/*"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
export PYDEVD_DISABLE_FILE_VALIDATION=1
# Debian's python3 has nbclient and nbconvert; a python3 earlier on PATH (pyenv) may not.
exec /usr/bin/python3 -Xfrozen_modules=off "$repo/environment/runner/run_notebooks.py" --results "$repo/results" \
  --kernel "${DPM4J_KERNEL_NAME:-java}" "$@"
