"""``teachback bench tutor``: tutor step latency, answer submitted -> next exercise ready.

Learners see only a curriculum's published version, so the bench publishes the ingested samples
first. Each step is one ``TutorSessions.answer`` call, the same call the web UI and the terminal
make: resume the checkpointed graph, grade the answer against the stored key, record the attempt,
replay mastery, ask the pacing policy, pick and snapshot the next exercise, checkpoint, and
return the next payload. Page rendering is not included. Simulated learners answer right with a
given probability (the key), else wrongly, so every kind of exercise and every pacing branch
(re-explain, probes, teach-back) is exercised. The store and the session checkpoints are real
SQLite files on disk.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import click

from teachback.benchmarks.report import emit, machine
from teachback.core.kinds import answer_form


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _answer_for(db, payload: dict, rng: random.Random, p_right: float):
    from teachback.curricula import repository
    from teachback.tutor.answers import answer_text

    if payload["type"] == "teach_back":
        concept = repository.get_concept(db, payload["concept"]["id"])
        return concept["definition"] if rng.random() < p_right else "I am not sure."
    ex = payload["exercise"]
    key = repository.get_exercise(db, ex["id"])["answer"]
    if rng.random() < p_right:
        return key if answer_form(ex["kind"]) in ("order", "pairs") else answer_text(key)
    wrong = [c for c in ex.get("choices") or [] if c != answer_text(key)]
    return rng.choice(wrong) if wrong and answer_form(ex["kind"]) != "pairs" else "no idea"


@click.command()
@click.option("--steps", type=int, default=300, show_default=True, help="Answers to time.")
@click.option("--learners", type=int, default=3, show_default=True)
@click.option("--p-right", type=float, default=0.75, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Use this store (default: ingest the bundled samples into a temporary one).",
)
@click.option("--curriculum", default="sample", show_default=True)
def command(steps, learners, p_right, seed, db_path, curriculum):
    """Measure tutor step latency (p50/p95 ms) offline; last line is JSON.

    \b
    Example:
        teachback bench tutor --steps 300
    """
    from teachback.config import SAMPLES_DIR
    from teachback.curricula import attempt_log, catalogue
    from teachback.curricula.db import open_db
    from teachback.tutor import answers
    from teachback.tutor.session import TutorSessions, sessions_path, sqlite_checkpointer

    tmp = tempfile.TemporaryDirectory(prefix="teachback-bench-")
    if db_path is None:
        from teachback.ingest.pipeline import run_ingest

        db_path = Path(tmp.name) / "bench.db"
        db = open_db(db_path)
        click.echo(f"ingesting {SAMPLES_DIR} into a temporary store ...")
        summary = run_ingest(db, [str(SAMPLES_DIR)], curriculum=curriculum)
        click.echo(
            f"  {summary.concepts} concepts, {summary.exercises_kept} exercises "
            f"({summary.seconds:.1f}s)"
        )
    else:
        db = open_db(db_path)
    if catalogue.published_version(db, curriculum) is None:  # learners see only published ones
        from teachback.curricula.publish import publish

        version = publish(db, curriculum, "bench")
        click.echo(f"  published {curriculum!r} as version {version} (learners see only that)")
    checkpoints = Path(tmp.name) / (db_path.name + ".sessions.sqlite")
    if db_path.parent != Path(tmp.name):
        click.echo(f"using {db_path}; sessions in a temporary {checkpoints.name}")
    else:
        checkpoints = sessions_path(db_path)
    tutor = TutorSessions(db, sqlite_checkpointer(checkpoints))

    # Time grading separately, to tell the grader's share from the tutor's own overhead.
    grade_times: list[float] = []
    real_grade = answers.grade_answer

    def timed_grade(exercise, answer):
        t0 = time.perf_counter()
        try:
            return real_grade(exercise, answer)
        finally:
            grade_times.append(time.perf_counter() - t0)

    # One-time model loads (the free-text grader's embedding model) happen on the first call
    # in a process; the server warms up at start (``answers.warm_up``). Timed apart.
    t0 = time.perf_counter()
    answers.warm_up()
    cold_ms = (time.perf_counter() - t0) * 1000
    load_before = os.getloadavg()[0]

    answers.grade_answer = timed_grade
    rng = random.Random(seed)
    names = [f"bench-{seed}-{i}" for i in range(learners)]
    payloads = {n: tutor.current(n, curriculum, n) for n in names}
    times: list[float] = []
    cpu: list[float] = []
    by_kind: dict[str, list[float]] = {}
    finished = 0
    prep_times: list[float] = []
    try:
        while len(times) < steps and payloads:
            name = rng.choice(sorted(payloads))
            payload = payloads[name]
            if payload["type"] == "done":
                finished += 1
                del payloads[name]
                continue
            kind = payload["exercise"]["kind"] if payload["type"] == "exercise" else "teach_back"
            answer = _answer_for(db, payload, rng, p_right)
            before = len(grade_times)
            # A learner reads the question before answering: the grader's background
            # preparation for the exercise shown (``TutorSessions``) is done by then. Untimed.
            p0 = time.perf_counter()
            tutor.wait_prepared()
            prep_times.append(time.perf_counter() - p0)
            c0, t0 = time.process_time(), time.perf_counter()
            payloads[name] = tutor.answer(name, curriculum, answer, step=payload["step"])
            elapsed = time.perf_counter() - t0
            cpu.append(time.process_time() - c0)
            times.append(elapsed)
            by_kind.setdefault(kind, []).append(elapsed)
            if len(grade_times) == before:
                grade_times.append(0.0)  # a teach-back: graded by its own scorer
    finally:
        answers.grade_answer = real_grade

    load_after = os.getloadavg()[0]
    ms = [t * 1000 for t in times]
    cpu_ms = [t * 1000 for t in cpu]
    grade_ms = [g * 1000 for g in grade_times[: len(ms)]]
    overhead = [t - g for t, g in zip(ms, grade_ms, strict=False)]
    attempts = attempt_log.count_for_learners_like(db, f"bench-{seed}-%")
    click.echo(f"\nTutor step latency over {len(ms)} answers by {learners} simulated learners")
    mean = statistics.fmean(ms) if ms else 0.0
    click.echo(f"  p50 {_percentile(ms, 0.5):6.1f} ms   p95 {_percentile(ms, 0.95):6.1f} ms   "
               f"mean {mean:6.1f} ms   max {max(ms or [0]):6.1f} ms")  # fmt: skip
    click.echo(f"  CPU time of this process per step: p50 {_percentile(cpu_ms, 0.5):.1f} ms, "
               f"p95 {_percentile(cpu_ms, 0.95):.1f} ms (wall time above includes waiting for "
               f"the CPU: load average {load_before:.1f} -> {load_after:.1f} on "
               f"{os.cpu_count()} cores)")  # fmt: skip
    click.echo(f"  one-time warm-up (grader model load), not in the figures: {cold_ms:.0f} ms")
    prep_ms = [t * 1000 for t in prep_times]
    click.echo(f"  waited for the grader's background preparation before answering (untimed; "
               f"a learner reads the question meanwhile): p95 {_percentile(prep_ms, 0.95):.1f} "
               f"ms, max {max(prep_ms or [0]):.1f} ms")  # fmt: skip
    click.echo(f"  of which grading: p50 {_percentile(grade_ms, 0.5):.1f} ms, "
               f"p95 {_percentile(grade_ms, 0.95):.1f} ms; "
               f"tutor overhead p95 {_percentile(overhead, 0.95):.1f} ms")  # fmt: skip
    click.echo("  by kind answered (n, p50, p95 ms):")
    for kind, values in sorted(by_kind.items()):
        v = [x * 1000 for x in values]
        click.echo(f"    {kind:18s} {len(v):4d} {_percentile(v, 0.5):7.1f} "
                   f"{_percentile(v, 0.95):7.1f}")  # fmt: skip
    click.echo(f"  attempts recorded: {attempts} (exercise answers: "
               f"{sum(len(v) for k, v in by_kind.items() if k != 'teach_back')})")  # fmt: skip
    click.echo(f"  learners who mastered everything reachable: {finished}/{learners}")
    click.echo(f"  machine: {machine()}")
    tutor.graph.checkpointer.conn.close()
    db.close()
    tmp.cleanup()
    emit(
        {
            "benchmark": "tutor",
            "steps": len(ms),
            "learners": learners,
            "p50_ms": round(_percentile(ms, 0.5), 2),
            "p95_ms": round(_percentile(ms, 0.95), 2),
            "grade_p95_ms": round(_percentile(grade_ms, 0.95), 2),
            "cpu_p50_ms": round(_percentile(cpu_ms, 0.5), 2),
            "cpu_p95_ms": round(_percentile(cpu_ms, 0.95), 2),
            "cold_start_ms": round(cold_ms, 1),
            "load_average": round((load_before + load_after) / 2, 2),
            "overhead_p95_ms": round(_percentile(overhead, 0.95), 2),
            "prepare_wait_p95_ms": round(_percentile([t * 1000 for t in prep_times], 0.95), 2),
            "seed": seed,
        }
    )
