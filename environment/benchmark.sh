#!/usr/bin/env bash
# Training benchmark, dpm4j against PyTorch on the same models, data, estimators and evaluation protocol.
#   environment/benchmark.sh            # full run (throughput, then time to target; budget 1800 s per target run)
#   BUDGET=300 SECONDS_PER_RUN=20 environment/benchmark.sh   # shorter
#   PHASES=target environment/benchmark.sh                     # only the time-to-target runs
# Prints one JSON line per measurement (also appended to results/bench/results.jsonl) and a table of ratios.
# Both sides run on one thread (OMP_NUM_THREADS=1, torch.set_num_threads(1)). On a shared machine compare the CPU
# columns (process CPU time); wall-clock figures then depend on the other load.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
SECONDS_PER_RUN=${SECONDS_PER_RUN:-30}
PHASES=${PHASES:-throughput target}
BUDGET=${BUDGET:-1800}
OUT=results/bench/results.jsonl
mkdir -p results/bench

# Debian's torch; without libopenblas0-pthread torch falls back to reference BLAS and the comparison is unfair
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  apt-get install -y python3-torch libopenblas0-pthread
fi
[ -f lib/dpm4j.jar ] && [ -z "${REBUILD:-}" ] || mvn -q -B package -DskipTests

java_run() { java -Xmx4g -cp 'lib/*' org.dpm4j.bench.Benchmark "$@" 2>/dev/null | grep '^{' | tee -a "$OUT"; }
torch_run() { /usr/bin/python3 environment/bench/torch_bench.py "$@" | tee -a "$OUT"; }
both() { java_run "$@"; torch_run "$@"; }

echo "# $(date -u +%FT%TZ) $(nproc --all) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
# throughput: steps per second, no evaluation
if [[ $PHASES == *throughput* ]]; then
both --workload swissroll-mlp --estimator ALL_T --batch 64 --seconds "$SECONDS_PER_RUN"
both --workload swissroll-rbf --estimator ALL_T --batch 64 --seconds "$SECONDS_PER_RUN"
both --workload heartbeat --estimator ALL_T --batch 4 --seconds "$SECONDS_PER_RUN"
both --workload heartbeat --estimator SAMPLED_T --batch 256 --seconds "$SECONDS_PER_RUN"
# the paper's image network (reference sizes) on 28x28 grey images, batch 64, one sampled t per image (the reference
# code's estimator); both sides take two untimed warm-up steps
both --workload image --estimator SAMPLED_T --batch 64 --seconds "$SECONDS_PER_RUN"
fi
# time to a target K (bits per example), evaluated on the whole data set (both sides the same examples) with every t,
# one draw each.
# Swiss roll: referenceGaussian(40) has beta_1 = 0.026 (1/T plus 1e-3), which caps K near -3 bits on this noiseless
# roll, so the issue's 2.3 bits (paper, learned schedule) is out of reach; -3.2 is a point both sides pass.
if [[ $PHASES == *target* ]]; then
both --workload swissroll-mlp --estimator ALL_T --batch 64 --lr 3e-3 --eval-every 250 --eval-examples 2000 --target "${SWISS_TARGET:--3.2}" --seconds "$BUDGET"
both --workload heartbeat --estimator ALL_T --batch 4 --lr "${HEART_LR:-1e-2}" --eval-every 500 --target "${HEART_TARGET:--2.5}" --seconds "$BUDGET"
fi
/usr/bin/python3 environment/bench/compare.py "$OUT"
