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

The files: ``learners`` (a simulated learner over HTTP), ``servers`` (the server processes and
the dashboard poller), ``run`` (one class run), ``report``; this module is the command and
its store.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from teachback.benchmarks.classroom.learners import Keys
from teachback.benchmarks.classroom.report import print_report
from teachback.benchmarks.classroom.run import run_class


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
    run = run_class(
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
    print_report(run, learners=learners, steps=steps, think=think, arrive=arrive, servers=servers,
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
