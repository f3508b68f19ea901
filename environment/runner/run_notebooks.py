"""Executes dpm4j notebooks headless on the Java kernel and writes executed copies and HTML to results/.

Run through environment/run-notebooks.sh (Debian's python3, nbclient and nbconvert). A kernel start that does not
answer within the timeout is retried, as a second safety net (dpm4j's own kernel has started every time it was
measured); a failing cell is never retried: it ends the run with the notebook, the cell and the Java exception named.
"""
import argparse
import os
import re
import sys
import resource
import subprocess
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class KernelStartError(RuntimeError):
    pass


def start_client(nb, args, env, cwd, log):
    """A client with a started, ready kernel; retries a start that does not answer within the timeout."""
    last = None
    for attempt in range(1, args.start_attempts + 1):
        client = NotebookClient(nb, kernel_name=args.kernel, timeout=args.cell_timeout,
                                startup_timeout=args.startup_timeout, allow_errors=False,
                                record_timing=True, resources={"metadata": {"path": cwd}})
        try:
            client.km = client.create_kernel_manager()
            client.start_new_kernel(cwd=cwd, env=env, stdout=log, stderr=log)
            client.start_new_kernel_client()
            info = client.wait_for_reply(client.kc.kernel_info())
            if info is None or "language_info" not in info["content"]:
                raise RuntimeError("kernel_info reply without language_info")
            nb.metadata["language_info"] = info["content"]["language_info"]
            if attempt > 1:
                print(f"  kernel started on attempt {attempt}", flush=True)
            return client
        except Exception as e:  # a start that failed: clean up and try again
            last = e
            print(f"  kernel start attempt {attempt} failed ({type(e).__name__}: {str(e)[:120]}); retrying",
                  flush=True)
            try:
                client._cleanup_kernel()
            except Exception:
                pass
    raise KernelStartError(f"the kernel did not start in {args.start_attempts} attempts: {last}")


def describe_failure(nb_path, index, cell, err):
    src = cell.source.strip().splitlines()
    first = src[0] if src else ""
    lines = [f"FAILED: {nb_path}, cell {index} (code cell starting: {first[:100]!r})"]
    outs = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if outs:
        o = outs[-1]
        lines.append(f"  {o.get('ename', '')}: {ANSI.sub('', o.get('evalue', ''))}")
        for tb in o.get("traceback", [])[:40]:
            for line in ANSI.sub("", tb).splitlines():
                lines.append("    " + line)
    else:
        lines.append("  " + ANSI.sub("", str(err)).strip()[:4000])
    return "\n".join(lines)


def children_cpu():
    """CPU seconds (user + system) of this process's finished, reaped children: the kernels run so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def record_time(out_dir, nb_path, profile, wall, cpu, load0, ok):
    """Appends one line per notebook run to results/notebook-times.tsv, so a main job's duration is on record."""
    path = os.path.join(out_dir, "notebook-times.tsv")
    new = not os.path.exists(path)
    with open(path, "a") as f:
        if new:
            f.write("finished_utc\tnotebook\tprofile\tok\twall_s\tkernel_cpu_s\tload1_start\tload1_end\tcommit\n")
        commit = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(nb_path)), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip() or "unknown"
        f.write(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\t{os.path.basename(nb_path)}\t{profile}\t"
                f"{'yes' if ok else 'no'}\t{wall:.1f}\t{cpu:.1f}\t{load0:.2f}\t{os.getloadavg()[0]:.2f}\t{commit}\n")


def run_one(nb_path, args, out_dir, log_dir):
    name = os.path.splitext(os.path.basename(nb_path))[0]
    nb = nbformat.read(nb_path, as_version=4)
    env = dict(os.environ)
    env["DPM_PROFILE"] = args.profile
    cwd = os.path.dirname(os.path.abspath(nb_path))
    load0 = os.getloadavg()[0]
    cpu0 = children_cpu()
    started = time.time()
    failure = None
    with open(os.path.join(log_dir, name + ".kernel.log"), "w") as log:
        client = start_client(nb, args, env, cwd, log)
        try:
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                try:
                    client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
                    failure = describe_failure(nb_path, index, cell, e)
                    break
        finally:
            client._cleanup_kernel()
    elapsed = time.time() - started
    record_time(out_dir, nb_path, args.profile, elapsed, children_cpu() - cpu0, load0, failure is None)
    suffix = "" if failure is None else ".failed"
    stale = ".failed" if failure is None else ""  # an earlier run's copy of the other outcome would mislead
    for ext in (".ipynb", ".html"):
        path = os.path.join(out_dir, name + stale + ext)
        if os.path.exists(path):
            os.remove(path)
    out_nb = os.path.join(out_dir, name + suffix + ".ipynb")
    nbformat.write(nb, out_nb)
    html, _ = HTMLExporter().from_notebook_node(nb)
    with open(os.path.join(out_dir, name + suffix + ".html"), "w") as f:
        f.write(html)
    return elapsed, failure, out_nb


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--profile", default="quick", choices=["quick", "standard", "paper"])
    p.add_argument("--results", default="results")
    p.add_argument("--kernel", default="java", help="kernelspec name; default java")
    p.add_argument("--startup-timeout", type=int, default=15)
    p.add_argument("--start-attempts", type=int, default=8)
    p.add_argument("--cell-timeout", type=int, default=None, help="seconds per cell; default none")
    args = p.parse_args()
    out_dir = os.path.abspath(args.results)
    log_dir = os.path.join(out_dir, "logs")
    os.makedirs(log_dir, exist_ok=True)
    failures = []
    total = time.time()
    for nb_path in args.notebooks:
        print(f"notebook {nb_path} (profile {args.profile})", flush=True)
        try:
            elapsed, failure, out_nb = run_one(nb_path, args, out_dir, log_dir)
        except KernelStartError as e:
            failures.append(f"FAILED: {nb_path}: {e}")
            print(failures[-1], flush=True)
            continue
        if failure:
            failures.append(failure)
            print(failure, flush=True)
            print(f"  {nb_path}: FAILED after {elapsed:.1f} s; partial run in {out_nb}", flush=True)
        else:
            print(f"  {nb_path}: ok in {elapsed:.1f} s -> {out_nb}", flush=True)
    n, f = len(args.notebooks), len(failures)
    print(f"all notebooks took {time.time() - total:.1f} s", flush=True)
    print(f"notebooks: {n - f} passed, {f} failed", flush=True)
    if failures:
        print("failing notebooks:\n" + "\n".join("  " + x.splitlines()[0] for x in failures), flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
