#!/usr/bin/python3
"""Pairs the dpm4j and PyTorch lines in results.jsonl (the latest line of each kind wins) and prints their ratios:
throughput (steps per second and per CPU second) and time to target (CPU and wall seconds, without and with the
periodic evaluations; the best K when a side did not reach the target)."""
import json, sys

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
    if r.get("phase") in ("check", "target"):
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

targets = {}
for r in runs:
    if r.get("phase") == "target":
        targets.setdefault(r["workload"], {})[r["side"]] = r
if targets:
    print(f"\n{'time to target':17} {'target':>6} {'side':7} | {'reached':>7} {'steps':>6} {'CPU-s':>7} {'CPU-s+eval':>10} "
          f"{'wall-s':>7} {'wall-s+eval':>11} | {'best K':>7}")
    for w, s in targets.items():
        for side in ("dpm4j", "pytorch"):
            r = s.get(side)
            if not r:
                continue
            hit = r["reached"]
            print(f"{w:17} {fmt(r['target_bits'], 2):>6} {side:7} | {'yes' if hit else 'no':>7} "
                  f"{(r['steps_to_target'] if hit else r['steps']):>6} "
                  f"{fmt(r['cpu_seconds_to_target'] if hit else r['cpu_seconds']):>7} "
                  f"{fmt(r['cpu_seconds_to_target_with_eval'] if hit else r['cpu_seconds'] + r['eval_cpu_seconds']):>10} "
                  f"{fmt(r['seconds_to_target'] if hit else r['seconds']):>7} "
                  f"{fmt(r['seconds_to_target_with_eval'] if hit else r['seconds'] + r['eval_seconds']):>11} | {fmt(r['best_k_bits'], 3):>7}")
        j, t = s.get("dpm4j"), s.get("pytorch")
        if j and t and j["reached"] and t["reached"]:
            print(f"{'':17} speedup (PyTorch CPU-s / dpm4j CPU-s): {fmt(ratio(t['cpu_seconds_to_target'], j['cpu_seconds_to_target']), 2)} "
                  f"without evaluation, {fmt(ratio(t['cpu_seconds_to_target_with_eval'], j['cpu_seconds_to_target_with_eval']), 2)} with")
    print("steps and seconds are at the first evaluation that reached the target, or at the end of the run when none did")
