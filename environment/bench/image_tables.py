#!/usr/bin/python3
"""Markdown tables of the image phase of environment/benchmark.sh from results.jsonl (the lines after the last run's
'#' header, or all lines with --all): throughput (steps per CPU second and per wall second, dpm4j against PyTorch, the
median over repeats), the fraction of the measured GEMM peak each side's training step reaches, and sampling speed.
Every table carries the run's date and the machine's load average (min to max over the run)."""
import json, statistics, sys

args = [a for a in sys.argv[1:] if not a.startswith("--")]
lines = open(args[0] if args else "results/bench/results.jsonl").read().splitlines()
if "--all" not in sys.argv:
    heads = [i for i, l in enumerate(lines) if l.startswith("#")]
    lines = lines[heads[-1]:] if heads else lines
head = next((l for l in lines if l.startswith("#")), "")
runs = [json.loads(l) for l in lines if l.startswith("{")]
loads = [r for r in runs if r.get("phase") == "load"]
one = [float(r["loadavg"].split()[0]) for r in loads]
when = f"{loads[0]['when']} to {loads[-1]['when']}" if loads else head
load = f"load average {min(one):.1f} to {max(one):.1f} (1-minute, on {2} vCPUs shared with other jobs)" if one else ""
print(f"Measured {when}, {load}.\n")

med = lambda v: statistics.median(v) if v else None
fmt = lambda v, p=1: "-" if v is None else f"{v:.{p}f}"
ratio = lambda a, b: a / b if a and b else None

peak = {}
for r in runs:
    if r.get("phase") == "gemm":
        peak.setdefault((r["side"], r["threads"]), []).append(r)
print("GEMM peak, single precision, square 2048 x 2048 products (GFLOP per second of process CPU time, and of wall time):\n")
print("| library | threads | GFLOP/s per CPU second | GFLOP/s per wall second |")
print("|---|---:|---:|---:|")
for (side, k), rs in sorted(peak.items()):
    print(f"| {rs[-1]['library']} | {k} | {fmt(med([r['gflops_cpu'] for r in rs]))} | {fmt(med([r['gflops_wall'] for r in rs]))} |")
peak_cpu = {key: med([r["gflops_cpu"] for r in rs]) for key, rs in peak.items()}
peak_wall = {key: med([r["gflops_wall"] for r in rs]) for key, rs in peak.items()}

tp = {}
for r in runs:
    if r.get("phase") == "image":
        side = r["side"] if r.get("conv", "oneDNN") == "oneDNN" else "pytorch-im2col"
        tp.setdefault((r["workload"], r["threads"]), {}).setdefault(side, []).append(r)
print("\nTraining throughput (median over repeats; ratio = dpm4j / PyTorch, above 1: dpm4j faster):\n")
print("| workload | threads | batch | GFLOP/step | dpm4j steps/CPU s | PyTorch steps/CPU s | ratio | dpm4j steps/wall s | PyTorch steps/wall s | ratio | repeats |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
rows = []
for (w, k), s in tp.items():
    j, t = s.get("dpm4j", []), s.get("pytorch", [])
    if not j or not t:
        continue
    jc, tc = med([r["steps_per_cpu_s"] for r in j]), med([r["steps_per_cpu_s"] for r in t])
    jw, tw = med([r["steps_per_s"] for r in j]), med([r["steps_per_s"] for r in t])
    f = j[0]["flops_per_step"]
    rows.append((w, k, f, jc, tc, jw, tw))
    print(f"| {w} | {k} | {j[0]['batch']} | {f / 1e9:.2f} | {fmt(jc)} | {fmt(tc)} | {fmt(ratio(jc, tc), 2)} | {fmt(jw)} | {fmt(tw)} | "
          f"{fmt(ratio(jw, tw), 2)} | {min(len(j), len(t))} |")

print("\nFraction of the GEMM peak: a step's matrix-product FLOPs (counted from the network's shapes, forward and backward) "
      "times steps per second, over the same library's 2048 x 2048 rate at the same thread count (one thread: per CPU "
      "second; two threads: per wall second):\n")
print("| workload | threads | dpm4j GFLOP/s | of OpenBLAS peak | PyTorch GFLOP/s | of torch.mm peak |")
print("|---|---:|---:|---:|---:|---:|")
for w, k, f, jc, tc, jw, tw in rows:
    if k == 1:
        jr, tr, pj, pt = jc * f / 1e9, tc * f / 1e9, peak_cpu.get(("dpm4j", 1)), peak_cpu.get(("pytorch", 1))
    else:
        jr, tr, pj, pt = jw * f / 1e9, tw * f / 1e9, peak_wall.get(("dpm4j", k)), peak_wall.get(("pytorch", k))
    pc = lambda a, b: "-" if not b else f"{100 * a / b:.0f} %"
    print(f"| {w} | {k} | {jr:.1f} | {pc(jr, pj)} | {tr:.1f} | {pc(tr, pt)} |")

im = [(w, k, s) for (w, k), s in tp.items() if s.get("dpm4j") and s.get("pytorch-im2col")]
if im:
    print("\nPyTorch with oneDNN switched off (torch.backends.mkldnn.enabled = False): its convolutions by its own im2col "
          "and a BLAS product, dpm4j's method; ratio = dpm4j / that PyTorch, steps per CPU second (and per wall second):\n")
    print("| workload | threads | dpm4j steps/CPU s | PyTorch im2col steps/CPU s | ratio | PyTorch oneDNN / im2col | ratio per wall s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for w, k, s in im:
        j, t, o = s["dpm4j"], s["pytorch-im2col"], s.get("pytorch", [])
        jc, tc = med([r["steps_per_cpu_s"] for r in j]), med([r["steps_per_cpu_s"] for r in t])
        oc = med([r["steps_per_cpu_s"] for r in o])
        jw, tw = med([r["steps_per_s"] for r in j]), med([r["steps_per_s"] for r in t])
        print(f"| {w} | {k} | {fmt(jc)} | {fmt(tc)} | {fmt(ratio(jc, tc), 2)} | {fmt(ratio(oc, tc), 2)} | {fmt(ratio(jw, tw), 2)} |")

sm = {}
for r in runs:
    if r.get("phase") == "sample":
        sm.setdefault((r["workload"], r["threads"]), {}).setdefault(r["side"], []).append(r)
if sm:
    print("\nSampling: seconds to draw 64 images by ancestral sampling (T reverse steps from the network, then the fixed "
          "first step), wall (CPU); ratio = PyTorch / dpm4j wall seconds:\n")
    print("| workload | threads | T | dpm4j s (CPU s) | PyTorch s (CPU s) | ratio (wall) | ratio (CPU) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for (w, k), s in sm.items():
        j, t = s.get("dpm4j", []), s.get("pytorch", [])
        if not j or not t:
            continue
        jw, jc = med([r["seconds"] for r in j]), med([r["cpu_seconds"] for r in j])
        tw, tc = med([r["seconds"] for r in t]), med([r["cpu_seconds"] for r in t])
        print(f"| {w} | {k} | {j[0]['T']} | {jw:.1f} ({jc:.1f}) | {tw:.1f} ({tc:.1f}) | {fmt(ratio(tw, jw), 2)} | {fmt(ratio(tc, jc), 2)} |")
