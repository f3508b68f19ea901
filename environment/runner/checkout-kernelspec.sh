#!/usr/bin/env bash
# Writes a kernelspec `java` that runs this checkout's kernel and lib/ into results/.jupyter, and prints that folder:
# put it first on JUPYTER_PATH so a run never uses another checkout's kernel or lib/.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
spec_root="$repo/results/.jupyter"
mkdir -p "$spec_root/kernels/java"
cat > "$spec_root/kernels/java/kernel.json" <<JSON
{"argv": ["$repo/environment/java-kernel.sh", "{connection_file}"], "display_name": "Java (dpm4j)",
 "language": "java", "interrupt_mode": "message", "env": {}}
JSON
echo "$spec_root"
