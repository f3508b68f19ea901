"""Starts the Java kernel through the Notebook server the way a browser does, N times, and counts the starts that work.

Runs `jupyter notebook --no-browser` on 127.0.0.1, then for each start: creates a kernel with the REST API
(POST /api/kernels), connects the websocket /api/kernels/<id>/channels at once, sends kernel_info_request and an
execute_request, and checks the reply and the cell's value; then deletes the kernel. A start counts as failed when
kernel_info is not answered within --answer-timeout seconds or the cell does not finish within 60 s.

    /usr/bin/python3 environment/runner/kernel_ws_starts.py [--kernel java] [--starts 30]

Needs Debian's python3 (jupyter-notebook and its tornado). The kernelspec is found on JUPYTER_PATH.
"""
import argparse
import asyncio
import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def message(session, msg_type, content):
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "username": "test", "session": session, "msg_type": msg_type,
                   "version": "5.3", "date": datetime.datetime.now(datetime.timezone.utc).isoformat()},
        "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []})


async def wait_for(ws, msg_type, parent_id, deadline):
    """The first message of a type answering parent_id, and the iopub messages seen on the way."""
    seen = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no {msg_type}")
        raw = await asyncio.wait_for(ws.read_message(), timeout=left)
        if raw is None:
            raise ConnectionError("websocket closed")
        m = json.loads(raw)
        if m.get("parent_header", {}).get("msg_id") != parent_id:
            continue
        seen.append(m)
        if m["msg_type"] == msg_type:
            return m, seen


async def one_start(base, token, kernel, i, answer_timeout):
    http = AsyncHTTPClient()
    headers = {"Authorization": f"token {token}"}
    r = await http.fetch(HTTPRequest(f"http://{base}/api/kernels", method="POST", headers=headers,
                                     body=json.dumps({"name": kernel})))
    kid = json.loads(r.body)["id"]
    session = uuid.uuid4().hex
    t0 = time.monotonic()
    try:
        ws = await websocket_connect(HTTPRequest(
            f"ws://{base}/api/kernels/{kid}/channels?session_id={session}", headers=headers))
        info = message(session, "kernel_info_request", {})
        await ws.write_message(info)
        await wait_for(ws, "kernel_info_reply", json.loads(info)["header"]["msg_id"], t0 + answer_timeout)
        t_info = time.monotonic() - t0
        ex = message(session, "execute_request", {"code": f"int n = {i};\nn * 3", "silent": False,
                                                  "store_history": True, "user_expressions": {},
                                                  "allow_stdin": False, "stop_on_error": True})
        await ws.write_message(ex)
        ex_id = json.loads(ex)["header"]["msg_id"]
        reply, _ = await wait_for(ws, "execute_reply", ex_id, time.monotonic() + 60)
        if reply["content"]["status"] != "ok":
            raise AssertionError(f"cell {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
        ws.close()
        return t_info, time.monotonic() - t0
    finally:
        await http.fetch(HTTPRequest(f"http://{base}/api/kernels/{kid}", method="DELETE", headers=headers),
                         raise_error=False)


async def run(args, base, token):
    failures = 0
    for i in range(1, args.starts + 1):
        try:
            t_info, t_all = await one_start(base, token, args.kernel, i, args.answer_timeout)
            print(f"start {i}: kernel_info after {t_info:.1f} s, cell done after {t_all:.1f} s", flush=True)
        except Exception as e:
            failures += 1
            print(f"start {i}: FAILED {type(e).__name__}: {e}", flush=True)
    return failures


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kernel", default="java")
    p.add_argument("--starts", type=int, default=30)
    p.add_argument("--answer-timeout", type=float, default=30)
    args = p.parse_args()
    port, token = free_port(), uuid.uuid4().hex
    root = tempfile.mkdtemp(prefix="dpm4j-ws-")
    log = open(os.path.join(root, "server.log"), "w")
    server = subprocess.Popen(["/usr/bin/python3", "-m", "notebook", "--no-browser", "--ip=127.0.0.1",
                               f"--port={port}", f"--NotebookApp.token={token}", f"--notebook-dir={root}",
                               "--allow-root"], stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"127.0.0.1:{port}"
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        failures = asyncio.run(run(args, base, token))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"notebook server starts: {args.starts - failures} of {args.starts} answered kernel_info and ran a cell "
          f"(server log {log.name})", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
