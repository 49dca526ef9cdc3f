"""The tutor server processes the learners talk to, and the instructor's dashboard poller: start
them, wait until they answer, stop them."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

import click


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dashboard_poller(db_path, session_id, instructor, stop, times, every=2.0, limit=1000):
    from teachback.curricula.db import open_db
    from teachback.tutor.classroom.dashboard import class_view
    from teachback.tutor.classroom.sessions import Caller

    db = open_db(db_path)
    caller = Caller.instructor(instructor)
    for _ in range(limit):
        t0 = time.perf_counter()
        view = class_view(db, session_id, caller)
        times.append((time.perf_counter() - t0) * 1000)
        assert view["session"].id == session_id
        if stop.wait(every):
            break
    db.close()


def start_server(db_path: Path, port: int, log: Path) -> subprocess.Popen:
    out = open(log, "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "teachback.benchmarks.classroom_api", "--db", str(db_path),
         "--port", str(port)],
        stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_healthy(port: int, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise click.ClickException(f"the tutor API died:\n{log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().read() == b"ok":
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise click.ClickException(f"the tutor API on port {port} did not start in {timeout:.0f}s")


def stop_servers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
