"""``teachback bench classroom``: N simulated learners in one class, concurrently, against a real
server process, through the tutor's own entry points.

Setup: the bundled samples are ingested into a temporary store (or ``--db`` is used), the
curriculum is published and an instructor starts a classroom session. Then ``--servers``
separate processes run ``python -m teachback.benchmarks.classroom_api`` on loopback ports (the same
``TutorSessions`` the Learn page uses, one store, one checkpoint file), and N client threads
join with the code and a name (spread over ``--arrive`` seconds), then each answers ``--steps``
questions, thinking ``--think`` seconds (+-50 %) before each answer. A learner always talks to
the same server process (sticky, like a load balancer with session affinity).

Measured per step (answer sent -> next question received, HTTP included): p50/p95. Errors are
non-200 answers and broken connections. Every ``--retry-rate`` of answers is sent a second time
(a client retrying after a timeout): the retry must not record anything. At the end the
attempts the clients saw acknowledged are compared with the attempts stored: ``lost`` (fewer
stored) and ``duplicated`` (more stored). An instructor's live dashboard is polled meanwhile,
as the dashboard page does. Loopback traffic only; every loop is bounded; it stops by itself.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import click

from teachback.benchmarks.report import emit, machine


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One learner's keep-alive HTTP connection; ``post`` retries a broken connection."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def post(self, path: str, body: dict, tries: int = 3) -> tuple[int, dict]:
        data = json.dumps(body)
        for attempt in range(tries):
            try:
                self.conn.request("POST", path, data, {"Content-Type": "application/json"})
                resp = self.conn.getresponse()
                return resp.status, json.loads(resp.read() or b"{}")
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == tries - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))
        raise RuntimeError("unreachable")


class Keys:
    """The answer keys, read once, so a simulated learner can answer right on purpose."""

    def __init__(self, db, curriculum: str):
        from teachback.curricula import repository

        self.exercises = {e["id"]: e for e in repository.get_exercises(db, curriculum)}
        self.definitions = {
            c["id"]: c["definition"] or c["name"] for c in repository.get_concepts(db, curriculum)
        }

    def answer(self, payload: dict, rng: random.Random, p_right: float):
        from teachback.tutor.answers import answer_text

        if payload["type"] == "teach_back":
            cid = payload["concept"]["id"]
            return self.definitions.get(cid, "") if rng.random() < p_right else "not sure"
        ex = payload["exercise"]
        key = self.exercises[ex["id"]]["answer"]
        if rng.random() < p_right:
            return key if ex["kind"] in ("ordering", "matching") else answer_text(key)
        wrong = [c for c in ex.get("choices") or [] if c != answer_text(key)]
        if wrong and ex["kind"] != "matching":
            return rng.choice(wrong[:2])  # a shared wrong choice: a misconception to find
        return rng.choice(["no idea", "No idea.", "the other one"])


def _learner(i, port, code, curriculum, keys, args, stats, lock, stop):
    rng = random.Random(args["seed"] * 100003 + i)
    client = Client(port)
    mine = {"steps": [], "server": [], "starts": [], "errors": 0, "acked": 0, "retries": 0,
            "learner": None}  # fmt: skip
    try:
        t0 = time.perf_counter()
        status, out = client.post("/join", {"code": code, "name": f"Learner {i:03d}"})
        mine["starts"].append((time.perf_counter() - t0) * 1000)
        if status != 200:
            mine["errors"] += 1
            mine["error"] = out.get("error")
            return
        learner = out["member"]["learner_id"]
        mine["learner"] = learner
        payload = out["payload"]
        for _ in range(args["steps"]):
            if stop.is_set() or payload.get("type") == "done":
                break
            think = args["think"] * rng.uniform(0.5, 1.5)
            if stop.wait(think):
                break
            answer = keys.answer(payload, rng, args["p_right"])
            body = {"learner_id": learner, "curriculum": curriculum, "step": payload["step"],
                    "answer": answer, "time_taken": think}  # fmt: skip
            t0 = time.perf_counter()
            try:
                status, out = client.post("/answer", body)
            except (OSError, http.client.HTTPException):
                mine["errors"] += 1
                continue
            mine["steps"].append((time.perf_counter() - t0) * 1000)
            if status != 200:
                mine["errors"] += 1
                continue
            mine["server"].append(out["server_ms"])
            fb = out["payload"].get("feedback") or {}
            acked = fb.get("step") == payload["step"]
            if acked and payload["type"] == "exercise":
                mine["acked"] += 1
            if rng.random() < args["retry_rate"]:  # the same answer again, as after a timeout
                _retry(client, body, out, mine)
            payload = out["payload"]
    except Exception as err:  # noqa: BLE001 - counted, the run goes on
        mine["errors"] += 1
        mine["error"] = f"{type(err).__name__}: {err}"
    finally:
        client.conn.close()
        with lock:
            stats.append(mine)


def _retry(client, body: dict, out: dict, mine: dict) -> None:
    """Send an answer again; an error unless the session stays where the first answer put it."""
    mine["retries"] += 1
    status, again = client.post("/answer", body)
    if status != 200:
        mine["errors"] += 1
    elif again["payload"].get("step") != out["payload"].get("step"):
        mine["errors"] += 1  # a retry must not move the session on


def _dashboard_poller(db_path, session_id, instructor, stop, times, every=2.0, limit=1000):
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


def _start_server(db_path: Path, port: int, log: Path) -> subprocess.Popen:
    out = open(log, "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "teachback.benchmarks.classroom_api", "--db", str(db_path),
         "--port", str(port)],
        stdout=out, stderr=subprocess.STDOUT,
    )  # fmt: skip


def _wait_healthy(port: int, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
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


@click.command()
@click.option("--learners", type=int, default=200, show_default=True)
@click.option("--steps", type=int, default=8, show_default=True, help="Answers per learner.")
@click.option("--think", type=float, default=5.0, show_default=True,
              help="Seconds a learner thinks before answering (+-50 %).")  # fmt: skip
@click.option("--servers", type=int, default=2, show_default=True,
              help="Tutor server processes sharing the store (learners are sticky).")  # fmt: skip
@click.option("--arrive", type=float, default=20.0, show_default=True,
              help="Seconds over which the learners join (not all at once).")  # fmt: skip
@click.option("--p-right", type=float, default=0.7, show_default=True)
@click.option("--retry-rate", type=float, default=0.05, show_default=True,
              help="Share of answers sent twice (a client retry).")  # fmt: skip
@click.option("--dashboard/--no-dashboard", default=True, show_default=True,
              help="Poll the instructor's live view every 2 s meanwhile.")  # fmt: skip
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--db", "db_path", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="Use this store (default: ingest the samples into a temporary "
              "one). Its curriculum must be published or publishable.")  # fmt: skip
@click.option("--curriculum", default="sample", show_default=True)
@click.option("--timeout", type=float, default=600, show_default=True,
              help="Stop the clients after this many seconds whatever happens.")  # fmt: skip
def command(learners, steps, think, arrive, servers, p_right, retry_rate, dashboard, seed,
            db_path, curriculum, timeout):  # fmt: skip
    """Drive N concurrent learners through a real tutor server; last line is JSON.

    \b
    Example:
        teachback bench classroom --learners 200
        teachback bench classroom --learners 20 --think 0.5 --steps 5
    """
    from teachback.curricula import attempt_log
    from teachback.tutor.classroom.sessions import start_session

    if learners < 1 or steps < 1 or servers < 1:
        raise click.BadParameter("--learners, --steps and --servers must be at least 1")
    tmp = tempfile.TemporaryDirectory(prefix="teachback-classroom-")
    work = Path(tmp.name)
    db, db_path = _store(db_path, curriculum, work)
    instructor = f"bench-instructor-{seed}"
    session = start_session(db, curriculum, instructor)
    keys = Keys(db, curriculum)
    click.echo(
        f"class {session.id} on {curriculum!r}: {learners} learners x {steps} answers, think "
        f"{think:g}s, joining over {arrive:g}s, {servers} server process(es), join code "
        f"{session.code}"
    )
    args = {"steps": steps, "think": think, "p_right": p_right, "retry_rate": retry_rate,
            "seed": seed}  # fmt: skip
    run = _drive(
        work,
        db_path,
        session,
        instructor,
        keys,
        args,
        curriculum=curriculum,
        learners=learners,
        servers=servers,
        arrive=arrive,
        dashboard=dashboard,
        timeout=timeout,
    )
    stats = run["stats"]
    ids = [s["learner"] for s in stats if s["learner"]]
    run["stored"] = attempt_log.counts_by_learner(db, ids)
    run["same_event"] = attempt_log.repeated_events(db, ids)
    db.close()
    _report(run, learners=learners, steps=steps, think=think, arrive=arrive, servers=servers,
            seed=seed)  # fmt: skip


def _store(db_path: Path | None, curriculum: str, work: Path):
    """The store to run on, with ``curriculum`` published: the given one, else the samples
    ingested into a temporary one. Returns ``(db, db_path)``."""
    from teachback.config import SAMPLES_DIR
    from teachback.curricula import catalogue
    from teachback.curricula.db import open_db
    from teachback.curricula.publish import publish

    if db_path is None:
        from teachback.ingest.pipeline import run_ingest

        db_path = work / "bench.db"
        db = open_db(db_path)
        click.echo(f"ingesting {SAMPLES_DIR} into a temporary store ...")
        summary = run_ingest(db, [str(SAMPLES_DIR)], curriculum=curriculum)
        click.echo(f"  {summary.concepts} concepts, {summary.exercises_kept} exercises")
    else:
        db = open_db(db_path)
    if not catalogue.exists(db, curriculum):
        raise click.ClickException(f"{db_path}: no curriculum {curriculum!r}")
    if catalogue.published_version(db, curriculum) is None:
        publish(db, curriculum, "bench")
    return db, db_path


def _drive(work, db_path, session, instructor, keys, args, *, curriculum, learners, servers,
           arrive, dashboard, timeout) -> dict:  # fmt: skip
    """Start the server processes, run the learners (and the dashboard poller) against them
    until they finish or ``timeout``, stop the servers. Returns the clients' figures."""
    ports = [_free_port() for _ in range(servers)]
    logs = [work / f"api-{p}.log" for p in ports]
    procs = [_start_server(db_path, p, log) for p, log in zip(ports, logs, strict=True)]
    try:
        t_ready = time.perf_counter()
        for p, proc, log in zip(ports, procs, logs, strict=True):
            _wait_healthy(p, proc, log)
        click.echo(f"servers ready in {time.perf_counter() - t_ready:.1f}s on ports {ports}")

        stats: list[dict] = []
        lock = threading.Lock()
        stop = threading.Event()
        dash_times: list[float] = []
        threads = [
            threading.Thread(
                target=_learner,
                args=(i, ports[i % servers], session.code, curriculum, keys, args, stats, lock,
                      stop),  # fmt: skip
                daemon=True,
            )
            for i in range(learners)
        ]
        poller = None
        if dashboard:
            poller = threading.Thread(
                target=_dashboard_poller,
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
        _stop_servers(procs)
    return {"stats": stats, "dash_times": dash_times, "wall": wall, "load_before": load_before,
            "load_after": load_after}  # fmt: skip


def _stop_servers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _report(run: dict, *, learners, steps, think, arrive, servers, seed) -> None:
    """The readable report, then the JSON line."""
    stats, dash_times, wall = run["stats"], run["dash_times"], run["wall"]
    load_before, load_after = run["load_before"], run["load_after"]
    stored, same_event = run["stored"], run["same_event"]
    step_ms = [x for s in stats for x in s["steps"]]
    start_ms = [x for s in stats for x in s["starts"]]
    server_ms = [x for s in stats for x in s["server"]]
    errors = sum(s["errors"] for s in stats) + (learners - len(stats))
    ids = [s["learner"] for s in stats if s["learner"]]
    acked = {s["learner"]: s["acked"] for s in stats if s["learner"]}
    lost = sum(max(0, acked[lid] - stored.get(lid, 0)) for lid in ids)
    duplicated = sum(max(0, stored.get(lid, 0) - acked[lid]) for lid in ids)
    retries = sum(s["retries"] for s in stats)
    first_errors = [s["error"] for s in stats if s.get("error")][:3]

    click.echo("")
    click.echo(f"learners joined: {len(ids)}/{learners}   steps timed: {len(step_ms)}   "
               f"wall {wall:.1f}s   throughput {len(step_ms) / wall:.1f} steps/s")  # fmt: skip
    click.echo(f"step latency (answer -> next question, HTTP included): p50 "
               f"{_percentile(step_ms, 0.5):.1f} ms   p95 {_percentile(step_ms, 0.95):.1f} ms   "
               f"max {max(step_ms, default=0):.1f} ms")  # fmt: skip
    click.echo(f"  of which in the tutor (server side, once its turn came): p50 "
               f"{_percentile(server_ms, 0.5):.1f} ms   p95 "
               f"{_percentile(server_ms, 0.95):.1f} ms")  # fmt: skip
    click.echo(f"join + first question: p50 {_percentile(start_ms, 0.5):.1f} ms   p95 "
               f"{_percentile(start_ms, 0.95):.1f} ms")  # fmt: skip
    if dash_times:
        med, top = statistics.median(dash_times), max(dash_times)
        click.echo(f"instructor dashboard refresh ({len(dash_times)} polls): p50 {med:.0f} ms"
                   f"   max {top:.0f} ms")  # fmt: skip
    click.echo(f"errors {errors}   retried answers {retries}   attempts acknowledged "
               f"{sum(acked.values())}   stored {sum(stored.values())}   lost {lost}   "
               f"duplicated {duplicated}")  # fmt: skip
    click.echo(f"load average {load_before:.1f} -> {load_after:.1f} on {os.cpu_count()} cores")
    for e in first_errors:
        click.echo(f"  error: {e}")
    emit(
        {
            "benchmark": "classroom",
            "learners": learners,
            "joined": len(ids),
            "steps": len(step_ms),
            "steps_per_learner": steps,
            "think_s": think,
            "arrive_s": arrive,
            "servers": servers,
            "p50_ms": round(_percentile(step_ms, 0.5), 2),
            "p95_ms": round(_percentile(step_ms, 0.95), 2),
            "server_p50_ms": round(_percentile(server_ms, 0.5), 2),
            "server_p95_ms": round(_percentile(server_ms, 0.95), 2),
            "join_p95_ms": round(_percentile(start_ms, 0.95), 2),
            "dashboard_p50_ms": round(statistics.median(dash_times), 1) if dash_times else None,
            "throughput_steps_s": round(len(step_ms) / wall, 1) if wall else 0.0,
            "errors": errors,
            "retries": retries,
            "acknowledged": sum(acked.values()),
            "stored": sum(stored.values()),
            "lost": lost,
            "duplicated": duplicated + max(0, same_event),
            "load_average": round(load_after, 2),
            "seed": seed,
            "machine": machine(),
        }
    )
