"""One class run: the server processes up, every learner (and the dashboard poller) in its own
thread, arrivals spread out, all bounded by a timeout, then the servers stopped."""

from __future__ import annotations

import os
import threading
import time

import click

from teachback.benchmarks.classroom.learners import run_learner
from teachback.benchmarks.classroom.servers import (
    dashboard_poller,
    free_port,
    start_server,
    stop_servers,
    wait_healthy,
)


def run_class(
    work,
    db_path,
    session,
    instructor,
    keys,
    args,
    *,
    curriculum,
    learners,
    servers,
    arrive,
    dashboard,
    timeout,
) -> dict:
    """Start the server processes, run the learners (and the dashboard poller) against them
    until they finish or ``timeout``, stop the servers. Returns the clients' figures."""
    ports = [free_port() for _ in range(servers)]
    logs = [work / f"api-{p}.log" for p in ports]
    procs = [start_server(db_path, p, log) for p, log in zip(ports, logs, strict=True)]
    try:
        t_ready = time.perf_counter()
        for p, proc, log in zip(ports, procs, logs, strict=True):
            wait_healthy(p, proc, log)
        click.echo(f"servers ready in {time.perf_counter() - t_ready:.1f}s on ports {ports}")

        stats: list[dict] = []
        lock = threading.Lock()
        stop = threading.Event()
        dash_times: list[float] = []
        threads = [
            threading.Thread(
                target=run_learner,
                args=(
                    i,
                    ports[i % servers],
                    session.code,
                    curriculum,
                    keys,
                    args,
                    stats,
                    lock,
                    stop,
                ),
                daemon=True,
            )
            for i in range(learners)
        ]
        poller = None
        if dashboard:
            poller = threading.Thread(
                target=dashboard_poller,
                args=(db_path, session.id, instructor, stop, dash_times),
                daemon=True,
            )
        load_before = os.getloadavg()[0]
        t_start = time.perf_counter()
        for t in threads:
            t.start()
            time.sleep(arrive / max(1, learners))  # arrivals spread over --arrive seconds
        if poller:
            poller.start()
        deadline = t_start + timeout
        for t in threads:
            t.join(max(0.0, deadline - time.perf_counter()))
        stop.set()
        for t in threads:
            t.join(5)
        if poller:
            poller.join(30)
        wall = time.perf_counter() - t_start
        load_after = os.getloadavg()[0]
    finally:
        stop_servers(procs)
    return {"stats": stats, "dash_times": dash_times, "wall": wall, "load_before": load_before,
            "load_after": load_after}  # fmt: skip
