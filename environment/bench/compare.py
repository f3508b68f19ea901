#!/usr/bin/python3
"""Pairs the dpm4j and PyTorch lines in results.jsonl (the latest line of each kind wins) and prints their ratios:
throughput (steps per second and per CPU second) and time to target (CPU and wall seconds, without and with the
periodic evaluations; the best K when a side did not reach the target)."""
import json, math, random, sys

lines = open(sys.argv[1] if len(sys.argv) > 1 else "results/bench/results.jsonl").read().splitlines()
for l in lines:
    if l.startswith("#"):
        print(l)
runs = [json.loads(l) for l in lines if l.startswith("{")]
fmt = lambda v, p=1: "-" if v is None else f"{v:.{p}f}"
ratio = lambda a, b: a / b if a and b else None

checks = [r for r in runs if r.get("phase") == "check"]
for c in {c["workload"]: c for c in checks}.values():
    print(f"agreement {c['workload']}: initial K {c['k_initial_bits']:.6f} (PyTorch) vs {c['dpm4j_k_initial_bits']:.6f} (dpm4j), "
          f"perturbed {c['k_perturbed_bits']:.6f} vs {c['dpm4j_k_perturbed_bits']:.6f}: {'agree' if c['agree'] else 'DISAGREE'}")

sides = {}
for r in runs:
    if "phase" in r:  # throughput lines carry none; checks, targets, exports, loads and the image phase's lines do
        continue
    sides.setdefault((r["workload"], r["estimator"], r["batch"]), {})[r["side"]] = r
print(f"\n{'workload':17} {'estimator':9} {'batch':>5} | {'dpm4j steps/s':>13} {'torch steps/s':>13} {'ratio':>6} | "
      f"{'dpm4j /cpu-s':>12} {'torch /cpu-s':>12} {'ratio':>6}")
for k, s in sides.items():
    j, t = s.get("dpm4j"), s.get("pytorch")
    if not j or not t:
        continue
    print(f"{k[0]:17} {k[1]:9} {k[2]:>5} | {fmt(j['steps_per_s']):>13} {fmt(t['steps_per_s']):>13} "
          f"{fmt(ratio(j['steps_per_s'], t['steps_per_s']), 2):>6} | {fmt(j['steps_per_cpu_s']):>12} {fmt(t['steps_per_cpu_s']):>12} "
          f"{fmt(ratio(j['steps_per_cpu_s'], t['steps_per_cpu_s']), 2):>6}")
print("ratio = dpm4j / PyTorch steps per second (above 1: dpm4j faster)")

# time to target: every seed of each side (the latest line per workload, side and seed wins), the median over seeds
# of CPU seconds to the target (a seed that missed it counts as infinitely slow), and the ratio of the medians
targets = {}
for r in runs:
    if r.get("phase") == "target":
        targets.setdefault(r["workload"], {}).setdefault(r["side"], {})[r.get("seed", 1)] = r


def median(v):
    v = sorted(v)
    n = len(v)
    return None if n == 0 else v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def bootstrap(a, b, rounds=20000, seed=1):
    """95 % interval of median(b) / median(a), resampling each side's seeds (a seeded generator: the same lines give the
    same interval), and the share of resamples below 1."""
    rng, rs = random.Random(seed), []
    for _ in range(rounds):
        ma, mb = median([rng.choice(a) for _ in a]), median([rng.choice(b) for _ in b])
        rs.append(mb / ma if math.isfinite(ma) and ma > 0 else 0.0)
    rs.sort()
    return rs[int(0.025 * rounds)], rs[int(0.975 * rounds) - 1], sum(r < 1 for r in rs) / rounds


def cpu_to_target(r, with_eval=False):
    if not r["reached"]:
        return math.inf
    return r["cpu_seconds_to_target_with_eval"] if with_eval else r["cpu_seconds_to_target"]


if targets:
    print(f"\n{'time to target':17} {'target':>6} {'side':7} {'seed':>4} | {'reached':>7} {'steps':>6} {'CPU-s':>7} {'CPU-s+eval':>10} "
          f"{'wall-s':>7} {'wall-s+eval':>11} | {'best K':>7}")
    for w, s in targets.items():
        medians = {}
        for side in ("dpm4j", "pytorch"):
            for seed, r in sorted(s.get(side, {}).items()):
                hit = r["reached"]
                print(f"{w:17} {fmt(r['target_bits'], 2):>6} {side:7} {seed:>4} | {'yes' if hit else 'no':>7} "
                      f"{(r['steps_to_target'] if hit else r['steps']):>6} "
                      f"{fmt(r['cpu_seconds_to_target'] if hit else r['cpu_seconds']):>7} "
                      f"{fmt(r['cpu_seconds_to_target_with_eval'] if hit else r['cpu_seconds'] + r['eval_cpu_seconds']):>10} "
                      f"{fmt(r['seconds_to_target'] if hit else r['seconds']):>7} "
                      f"{fmt(r['seconds_to_target_with_eval'] if hit else r['seconds'] + r['eval_seconds']):>11} | {fmt(r['best_k_bits'], 3):>7}")
            runs_ = list(s.get(side, {}).values())
            medians[side] = (median([cpu_to_target(r) for r in runs_]), median([cpu_to_target(r, True) for r in runs_]),
                             median([r["steps_to_target"] if r["reached"] else math.inf for r in runs_]), len(runs_),
                             [cpu_to_target(r) for r in runs_])
            m = medians[side]
            if m[3]:
                print(f"{w:17} {'':6} {side:7} {'med':>4} | {str(m[3]) + ' sd':>7} {fmt(m[2], 0):>6} {fmt(m[0]):>7} {fmt(m[1]):>10}")
        j, t = medians.get("dpm4j"), medians.get("pytorch")
        if j and t and j[3] and t[3]:
            fin = lambda v: v is not None and math.isfinite(v)
            ok = fin(j[0]) and fin(t[0])
            print(f"{'':17} speedup, median over seeds (PyTorch CPU-s / dpm4j CPU-s): "
                  f"{fmt(t[0] / j[0] if ok else None, 2)} without evaluation, {fmt(t[1] / j[1] if ok else None, 2)} with "
                  f"({j[3]} dpm4j and {t[3]} PyTorch seeds)")
            if ok and min(j[3], t[3]) >= 3:
                lo, hi, below = bootstrap(j[4], t[4])
                print(f"{'':17} bootstrap over seeds: 95 % of resampled ratios (without evaluation) in [{lo:.2f}, {hi:.2f}], "
                      f"{100 * below:.0f} % below 1")
    print("steps and seconds are at the first evaluation that reached the target, or at the end of the run when none did; "
          "med: the median over the seeds (n sd: n seeds; a seed that missed the target counts as infinitely slow)")
