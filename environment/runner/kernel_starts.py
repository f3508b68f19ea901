"""Starts the Java kernel many times through jupyter_client and fails on any start that does not work end to end.

Each start: launch, wait for kernel_info, execute a cell and check its value, shut down and check exit code 0.
Once per run: stdout arrives while a cell is still running, a restart keeps working, and (with --interrupts N)
an interrupt_request stops a running `while (true) Thread.sleep(10);` N times, the kernel answering afterwards.

    /usr/bin/python3 environment/runner/kernel_starts.py [--kernel java] [--starts 20] [--interrupts 3]

The kernelspec is found on JUPYTER_PATH as usual (environment/test.sh points it at this checkout's own spec).
"""
import argparse
import sys
import time

from jupyter_client.manager import KernelManager

TIMEOUT = 60


def run_cell(kc, code, timeout=TIMEOUT):
    """The execute_reply content and the iopub messages (with arrival times) of one cell."""
    msgs = []
    reply = kc.execute_interactive(code, timeout=timeout,
                                   output_hook=lambda m: msgs.append((time.monotonic(), m)))
    return reply["content"], msgs


def result_text(msgs):
    for _, m in msgs:
        if m["msg_type"] == "execute_result":
            return m["content"]["data"].get("text/plain")
    return None


def start(kernel):
    km = KernelManager(kernel_name=kernel)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    return km, kc


def stop(km, kc):
    """Shuts the kernel down by message and returns its exit code."""
    proc = km.provisioner.process
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    return proc.wait(timeout=30)


def check_value(kc, i):
    reply, msgs = run_cell(kc, f"int n = {i};\nn * 2 + 1")
    if reply["status"] != "ok":
        raise AssertionError(f"cell failed: {reply.get('ename')}: {reply.get('evalue')}")
    got = result_text(msgs)
    if got != str(2 * i + 1):
        raise AssertionError(f"cell value {got!r}, expected {2 * i + 1}")


def check_live_output(kc):
    """The first line must arrive while the cell still sleeps, not with the reply."""
    t0 = time.monotonic()
    reply, msgs = run_cell(kc, 'System.out.println("first"); Thread.sleep(1500); System.out.println("second");')
    t_end = time.monotonic()
    first = [t for t, m in msgs if m["msg_type"] == "stream" and "first" in m["content"]["text"]]
    if reply["status"] != "ok" or not first:
        raise AssertionError(f"streaming cell: status {reply['status']}, first line seen: {bool(first)}")
    if t_end - first[0] < 1.0:
        raise AssertionError(f"stdout arrived {first[0] - t0:.2f} s after the start of a 1.5 s cell, not while it ran")


def check_interrupt(km, kc):
    msg_id = kc.execute("while (true) Thread.sleep(10);")
    time.sleep(1.0)
    t0 = time.monotonic()
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
    took = time.monotonic() - t0
    c = reply["content"]
    if c["status"] != "error" or c.get("ename") != "Interrupted":
        raise AssertionError(f"interrupted cell replied {c['status']} {c.get('ename')}")
    check_value(kc, 7)
    return took


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kernel", default="java")
    p.add_argument("--starts", type=int, default=20)
    p.add_argument("--interrupts", type=int, default=3)
    args = p.parse_args()
    failures = []
    started = time.monotonic()
    for i in range(1, args.starts + 1):
        t0 = time.monotonic()
        km = kc = None
        try:
            km, kc = start(args.kernel)
            check_value(kc, i)
            if i == 1:
                check_live_output(kc)
                for k in range(args.interrupts):
                    took = check_interrupt(km, kc)
                    print(f"  interrupt {k + 1} of {args.interrupts}: stopped in {took:.2f} s", flush=True)
                km.restart_kernel(now=False)
                kc.wait_for_ready(timeout=TIMEOUT)
                check_value(kc, 11)
                print("  restart: ok", flush=True)
            code = stop(km, kc)
            km = None
            if code != 0:
                raise AssertionError(f"exit code {code} after shutdown")
            print(f"start {i}: ok in {time.monotonic() - t0:.1f} s", flush=True)
        except Exception as e:
            failures.append(f"start {i}: {type(e).__name__}: {e}")
            print(failures[-1], flush=True)
            if km is not None:
                try:
                    km.shutdown_kernel(now=True)
                except Exception:
                    pass
    ok = args.starts - len(failures)
    print(f"kernel starts: {ok} of {args.starts} started, ran a cell and exited 0 on shutdown "
          f"({time.monotonic() - started:.0f} s)", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
