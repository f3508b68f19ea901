#!/usr/bin/env bash
# Training benchmark, dpm4j against PyTorch on the same models, data, estimators and evaluation protocol.
#   environment/benchmark.sh            # full run: throughput, then time to target (budget 1800 s per run)
#   BUDGET=600 SECONDS_PER_RUN=20 environment/benchmark.sh   # shorter
#   PHASES=target environment/benchmark.sh                     # only the time-to-target runs
#   SEEDS=5 PHASES=target environment/benchmark.sh             # time to target over seeds 1..5 (default 3)
#   TARGET_WORKLOADS=heartbeat PHASES=target environment/benchmark.sh   # one time-to-target workload
#   FIRST_SEED=10 SEEDS=18 PHASES=target environment/benchmark.sh      # seeds 10..18 (compare.py pools all seeds run)
#   PHASES=image environment/benchmark.sh      # the image network: GEMM peak, every image workload at 1 and 2 threads,
#                                              # sampling 64 images; IMAGE_WORKLOADS, IMAGE_THREADS, IMAGE_REPEATS,
#                                              # SAMPLE_WORKLOADS, SAMPLE_THREADS select; the convolutional workloads
#                                              # also against PyTorch without oneDNN (IMAGE_IM2COL= skips those)
#   PHASES=mnist environment/benchmark.sh      # time to a target K on MNIST at its standard settings, seeds
#                                              # FIRST_SEED..SEEDS (org.dpm4j.bench.ImageTarget, torch_image_bench.py --target)
# Image phase: org.dpm4j.bench.ImageBench exports each workload of ImageWorkloads (configuration, initial parameters,
# per-t coefficients, stand-in images) to results/bench/image-export/W; torch_image_bench.py --check stops the phase
# unless its loss on the check batch equals dpm4j's (initial network and one with a random last layer); then the two
# sides alternate, repeat by repeat, at each thread count. image_tables.py writes the markdown tables
# (results/bench/image-tables.md): steps per CPU and wall second, fraction of the measured GEMM peak, sampling.
# Throughput: steps/s with no evaluation, SECONDS_PER_RUN per workload and side.
# The Java side is the Maven project environment/bench (org.dpm4j:dpm4j-bench, package org.dpm4j.bench), kept out of
# the library jar: this script installs the library into ~/.m2 (mvn install), packages the bench against it, and runs
# environment/bench/target/dpm4j-bench.jar with the checkout's lib/ (the library jar and its runtime jars). Both jars
# are built when either is missing or REBUILD is set (REBUILD=1 after changing the library or the bench).
# Time to target: the experiments' standard settings, from org.dpm4j.bench.Workloads (which builds them from
# SwissRollExperiment and HeartbeatExperiment): the Swiss roll with the full-covariance kernel (beta_1 = 1e-5 log-SNR
# schedule, 64 Fourier features + 2 x 128 tanh MLP, per-step readout, POSTERIOR_V, all-T, batch 64, Adam 5e-3 decaying
# tenfold; 10k steps at most) to K = 2.3 bits, and the heartbeat (T = 2000, 20-50-50-50 sigmoid MLP, all-T, batch 4,
# Adam with its two-phase decay; 20k steps at most) to K = -2.5 bits/seq. Java exports the data, schedule tables,
# initial parameters and per-step learning rates (Benchmark --export); torch_bench.py --check first evaluates K of
# the initial model and of a readout-perturbed one on BoundK's exported noise and stops the benchmark unless both
# sides agree. Both sides then evaluate K on the same held-out examples every eval_every steps and report times
# without and with the evaluations; a side that does not reach the target within BUDGET wall seconds (training plus
# evaluation) or max_steps reports its best K. Each side runs seeds FIRST_SEED..SEEDS (default 1..3); compare.py prints every seed, the median
# CPU seconds to the target over the seeds and the ratio of the medians.
# Prints one JSON line per measurement (also appended to results/bench/results.jsonl) and tables of ratios.
# Both sides run on one thread (OMP_NUM_THREADS=1, torch.set_num_threads(1)) under nice. On a shared machine compare
# the CPU columns (process CPU time); wall-clock figures then depend on the other load.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
SECONDS_PER_RUN=${SECONDS_PER_RUN:-30}
PHASES=${PHASES:-throughput target}
BUDGET=${BUDGET:-1800}
SEEDS=${SEEDS:-3}
FIRST_SEED=${FIRST_SEED:-1}
OUT=results/bench/results.jsonl
mkdir -p results/bench

# Debian's torch; without libopenblas0-pthread torch falls back to reference BLAS and the comparison is unfair
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  apt-get install -y python3-torch libopenblas0-pthread
fi
# BENCH_JAR may name a directory of compiled bench classes instead (a development build)
BENCH_JAR=${BENCH_JAR:-environment/bench/target/dpm4j-bench.jar}
if [ ! -f lib/dpm4j.jar ] || [ ! -e "$BENCH_JAR" ] || [ -n "${REBUILD:-}" ]; then
  mvn -q -B -ntp -Dstyle.color=never install -DskipTests
  mvn -q -B -ntp -Dstyle.color=never -f environment/bench/pom.xml package -DskipTests
fi
# the bench jar first: an older lib/dpm4j.jar may still hold the org.dpm4j.bench classes it used to ship
CP="$BENCH_JAR:lib/*"
bench() { java -Xmx4g -cp "$CP" org.dpm4j.bench.Benchmark "$@"; }

java_run() { nice -n 10 java -Xmx4g -cp "$CP" org.dpm4j.bench.Benchmark "$@" 2>/dev/null | grep '^{' | tee -a "$OUT"; }
torch_run() { nice -n 10 /usr/bin/python3 environment/bench/torch_bench.py "$@" | tee -a "$OUT"; }
both() { java_run "$@"; torch_run "$@"; }

echo "# $(date -u +%FT%TZ) $(nproc --all) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"
EXPORT=results/bench/export
if [[ $PHASES == *throughput* || $PHASES == *target* ]]; then
bench --export "$EXPORT" 2>/dev/null
/usr/bin/python3 environment/bench/torch_bench.py --check --export "$EXPORT" | tee -a "$OUT"
fi
# throughput: steps per second, no evaluation
if [[ $PHASES == *throughput* ]]; then
both --workload swissroll-mlp --estimator ALL_T --batch 64 --seconds "$SECONDS_PER_RUN"
both --workload swissroll-rbf --estimator ALL_T --batch 64 --seconds "$SECONDS_PER_RUN"
# the time-to-target Swiss-roll model (experiment settings) without evaluation
both --workload swissroll-fourier --estimator ALL_T --batch 64 --seconds "$SECONDS_PER_RUN"
both --workload heartbeat --estimator ALL_T --batch 4 --seconds "$SECONDS_PER_RUN"
both --workload heartbeat --estimator SAMPLED_T --batch 256 --seconds "$SECONDS_PER_RUN"
# the paper's image network (reference sizes) on 28x28 grey images, batch 64, one sampled t per image (the reference
# code's estimator); both sides take two untimed warm-up steps
both --workload image --estimator SAMPLED_T --batch 64 --seconds "$SECONDS_PER_RUN"
fi
# time to a target K (bits per example), the experiments' settings; one run per side at a time, SEEDS seeds per
# workload (each seed its own initial model, data and noise, exported to the PyTorch side), the two sides alternating
if [[ $PHASES == *target* ]]; then
for s in $(seq "$((FIRST_SEED > 2 ? FIRST_SEED : 2))" "$SEEDS"); do
  bench --export "$EXPORT-seed$s" --seed "$s" 2>/dev/null
done
for w in ${TARGET_WORKLOADS:-swissroll-fourier heartbeat}; do
  for s in $(seq "$FIRST_SEED" "$SEEDS"); do
    java_run --phase target --workload "$w" --seconds "$BUDGET" --seed "$s"
    torch_run --phase target --workload "$w" --seconds "$BUDGET" --seed "$s" --export "$EXPORT$([ "$s" = 1 ] || echo "-seed$s")"
  done
done
fi
# the image network (ImageBench / torch_image_bench.py): the GEMM peak, throughput at 1 and 2 threads, sampling
if [[ $PHASES == *image* ]]; then
IMG=results/bench/image-export
ibench() { nice -n 10 java -Xmx4g -cp "$CP" org.dpm4j.bench.ImageBench "$@" 2>/dev/null | grep '^{' | tee -a "$OUT"; }
itorch() { nice -n 10 /usr/bin/python3 environment/bench/torch_image_bench.py "$@" | tee -a "$OUT"; }
# PyTorch at k threads: torch.set_num_threads(k) covers its own kernels and oneDNN; its products go to OpenBLAS, which
# takes its thread count from the environment when it loads
itorchk() { local k=$1; shift; OPENBLAS_NUM_THREADS=$k OMP_NUM_THREADS=$k itorch --threads "$k" "$@"; }
load() { echo "{\"phase\": \"load\", \"when\": \"$(date -u +%FT%TZ)\", \"loadavg\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" | tee -a "$OUT"; }
for k in ${IMAGE_THREADS:-1 2}; do
  load; ibench --gemm 1 --threads "$k" --seconds 5; itorchk "$k" --gemm 2048 --seconds 5
done
WS=${IMAGE_WORKLOADS:-mnist-standard deadleaves-standard bark-conv cifar-both reference-28 reference-cifar deadleaves-unet}
for w in $WS; do
  ibench --export "$IMG/$w" --workload "$w"
  itorch --export "$IMG/$w" --check
done
for r in $(seq "${IMAGE_REPEATS:-1}"); do
  for w in $WS; do
    for k in ${IMAGE_THREADS:-1 2}; do
      load; ibench --workload "$w" --threads "$k" --seconds "$SECONDS_PER_RUN"; itorchk "$k" --export "$IMG/$w" --seconds "$SECONDS_PER_RUN"
      # the convolutional workloads also against PyTorch's own im2col convolution (IMAGE_IM2COL= to skip)
      [[ -z ${IMAGE_IM2COL-1} || $w == mnist-standard ]] || itorchk "$k" --export "$IMG/$w" --seconds "$SECONDS_PER_RUN" --no-onednn
    done
  done
done
for w in ${SAMPLE_WORKLOADS-mnist-standard deadleaves-standard}; do
  for k in ${SAMPLE_THREADS:-1}; do
    load; ibench --sample "$w" --images 64 --threads "$k"; itorchk "$k" --export "$IMG/$w" --sample 64
  done
done
/usr/bin/python3 environment/bench/image_tables.py "$OUT" | tee results/bench/image-tables.md
fi
# time to a target K on MNIST, the experiment's standard settings (ImageTarget): per seed an export (the network's
# initial parameters, the digits, the per-step rates), the agreement check of K on frozen noise (stops the phase unless
# PyTorch's K equals dpm4j's), then dpm4j's run, PyTorch's run, and dpm4j's K of PyTorch's trained parameters
if [[ $PHASES == *mnist* ]]; then
ITE=results/bench/image-target-export
itarget() { nice -n 10 java -Xmx4g -cp "$CP" org.dpm4j.bench.ImageTarget "$@" 2>/dev/null | grep '^{' | tee -a "$OUT"; }
iload() { echo "{\"phase\": \"load\", \"when\": \"$(date -u +%FT%TZ)\", \"loadavg\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" | tee -a "$OUT"; }
for s in $(seq "$FIRST_SEED" "$SEEDS"); do
  itarget --export "$ITE/seed$s" --seed "$s"
  nice -n 10 /usr/bin/python3 environment/bench/torch_image_bench.py --export "$ITE/seed$s" --target-check | tee -a "$OUT"
  iload; itarget --seed "$s" --seconds "$BUDGET"
  iload; nice -n 10 /usr/bin/python3 environment/bench/torch_image_bench.py --export "$ITE/seed$s" --target --seed "$s" \
    --seconds "$BUDGET" --save "$ITE/seed$s/trained" | tee -a "$OUT"
  iload; itarget --evaluate "$ITE/seed$s/trained" --seed "$s"
done
fi
if [[ $PHASES == *throughput* || $PHASES == *target* || $PHASES == *mnist* ]]; then /usr/bin/python3 environment/bench/compare.py "$OUT"; fi
