#!/usr/bin/python3
"""Pairs the dpm4j and PyTorch lines in results.jsonl (the latest line of each kind wins) and prints their ratios."""
import json, sys

lines = open(sys.argv[1] if len(sys.argv) > 1 else "results/bench/results.jsonl").read().splitlines()
for l in lines:
    if l.startswith("#"):
        print(l)
runs = [json.loads(l) for l in lines if l.startswith("{")]
key = lambda r: (r["workload"], r["estimator"], r["batch"], r.get("target_bits"))
sides = {}
for r in runs:
    sides.setdefault(key(r), {})[r["side"]] = r
fmt = lambda v, p=1: "-" if v is None else f"{v:.{p}f}"
print(f"{'workload':14} {'estimator':9} {'batch':>5} | {'dpm4j steps/s':>13} {'torch steps/s':>13} {'ratio':>6} | "
      f"{'dpm4j /cpu-s':>12} {'torch /cpu-s':>12} {'ratio':>6} | {'target':>6} {'dpm4j cpu-s':>11} {'torch cpu-s':>11} {'speedup':>7}")
for k, s in sides.items():
    j, t = s.get("dpm4j"), s.get("pytorch")
    if not j or not t:
        continue
    ratio = lambda a, b: a / b if a and b else None
    tj, tt = j.get("cpu_seconds_to_target"), t.get("cpu_seconds_to_target")
    print(f"{k[0]:14} {k[1]:9} {k[2]:>5} | {fmt(j['steps_per_s']):>13} {fmt(t['steps_per_s']):>13} "
          f"{fmt(ratio(j['steps_per_s'], t['steps_per_s']), 2):>6} | {fmt(j['steps_per_cpu_s']):>12} {fmt(t['steps_per_cpu_s']):>12} "
          f"{fmt(ratio(j['steps_per_cpu_s'], t['steps_per_cpu_s']), 2):>6} | {fmt(k[3], 2):>6} {fmt(tj):>11} {fmt(tt):>11} "
          f"{fmt(ratio(tt, tj), 2):>7}")
print("ratio = dpm4j / PyTorch steps per second (above 1: dpm4j faster); speedup = PyTorch CPU seconds to target / dpm4j's."
      " K at the end of each target run is in the JSON lines (k_eval_bits).")
