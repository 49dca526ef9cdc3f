"""Probes: a tutor process killed with ``kill -9`` mid-step, and two processes (the terminal and
the browser) answering for one learner at once.

The stored attempt is the truth: every answer the tutor acknowledged is in the attempt log
exactly once with the verdict the learner was shown, a step answered and recorded is never asked
again, and the feedback after a crash is about the answer that was stored. Real processes, a
real SQLite store and real checkpoint file; nothing is simulated.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from teachback.curricula.db import open_db
from teachback.tests.session_fixture import build_fixture_curriculum
from teachback.tutor.session import TutorSessions, sessions_path, sqlite_checkpointer

WORKER = str(Path(__file__).with_name("tutor_worker.py"))


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store.db"
    db = open_db(path)
    build_fixture_curriculum(db, publish=True)
    db.close()
    return path


def worker(store: Path, tag: str, steps: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, WORKER, str(store), tag, str(steps), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def acks(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def attempts(store: Path) -> list[dict]:
    db = open_db(store)
    try:
        return [
            dict(r)
            for r in db.query(
                "select event_id, answer, correct from attempts where learner_id = 'ada' "
                "order by id"
            )
        ]
    finally:
        db.close()


def split_figures(acknowledged: list[dict], stored: list[dict]) -> dict:
    """Acknowledged answers missing from the log, stored twice, or stored with another
    verdict than the learner was shown."""
    by_event: dict[str, list[dict]] = {}
    for row in stored:
        by_event.setdefault(row["event_id"], []).append(row)
    answers = [row["answer"] for row in stored if row["answer"].startswith("no idea")]
    lost = contradicted = 0
    for ack in acknowledged:
        rows = by_event.get(f"{ack['session']}:{ack['step']}", [])
        if not rows or rows[0]["answer"] != ack["answer"]:
            lost += 1
        elif bool(rows[0]["correct"]) != (ack["verdict"] == "correct"):
            contradicted += 1
    duplicated = sum(len(r) - 1 for r in by_event.values()) + len(answers) - len(set(answers))
    return {"lost": lost, "duplicated": duplicated, "contradicted": contradicted}


def test_killed_between_recording_and_checkpointing_the_stored_answer_wins(store):
    dying = worker(store, "a", 1, "--die-after-record")
    out, err = dying.communicate(timeout=120)
    assert dying.returncode == -signal.SIGKILL, err[-2000:]
    assert acks(out) == []  # it died before it could acknowledge anything
    [stored] = attempts(store)

    # The next process (the learner reloads the page) does not ask step 1 again: it shows
    # the feedback of the answer that was stored, and the next exercise.
    db = open_db(store)
    tutor = TutorSessions(db, sqlite_checkpointer(sessions_path(store)), prepare=False)
    payload = tutor.current("ada", "water")
    session = tutor.state("ada", "water")["session_id"]
    assert stored["event_id"] == f"{session}:1"
    assert payload["step"] == 2
    feedback = payload["feedback"]
    assert (feedback["step"], feedback["your_answer"]) == (1, stored["answer"])
    assert (feedback["verdict"] == "correct") == bool(stored["correct"])

    # A late answer to step 1 (the old page was still open) changes nothing.
    assert tutor.answer("ada", "water", "something else", step=1) == payload
    assert attempts(store) == [stored]
    tutor.answer("ada", "water", "no idea", step=2)
    assert [a["event_id"] for a in attempts(store)] == [f"{session}:1", f"{session}:2"]
    db.close()


def test_two_processes_answering_for_one_learner_lose_nothing(store):
    steps = 25
    both = [worker(store, "a", steps), worker(store, "b", steps)]
    outputs = [p.communicate(timeout=600) for p in both]
    for p, (_out, err) in zip(both, outputs, strict=True):
        assert p.returncode == 0, err[-2000:]
    acknowledged = acks(outputs[0][0]) + acks(outputs[1][0])
    stored = attempts(store)
    assert len(acknowledged) >= steps  # each step was acknowledged by one process or the other
    assert split_figures(acknowledged, stored) == {"lost": 0, "duplicated": 0, "contradicted": 0}


def test_two_processes_record_nothing_that_no_process_acknowledged(store):
    # The window this closed was the worker's own: a teach-back answered without naming its
    # step, after the other process had answered it and moved on, answered (and stored) the
    # next exercise in its place. Every client names the step it answers.
    steps = 25
    both = [worker(store, "a", steps), worker(store, "b", steps)]
    outputs = [p.communicate(timeout=600) for p in both]
    acknowledged = acks(outputs[0][0]) + acks(outputs[1][0])
    # A step answered by both processes is stored once, and only as an answer that was shown.
    assert len(attempts(store)) == len({(a["session"], a["step"]) for a in acknowledged})


@pytest.mark.slow
def test_random_kill_9_loses_nothing_acknowledged(store):
    rng = random.Random(14)
    acknowledged: list[dict] = []
    for round_ in range(6):
        # A tag per process: the wrong answers must be unique to the process that gave them,
        # or one round's "no idea a1" would count as a duplicate of another round's.
        p = worker(store, f"{'ab'[round_ % 2]}{round_}", 12)
        time.sleep(rng.uniform(2.0, 6.0))  # the worker needs ~2 s to import and open the store
        p.send_signal(signal.SIGKILL)
        out, _err = p.communicate(timeout=60)
        acknowledged += acks(out)
    last = worker(store, "last", 4)
    out, err = last.communicate(timeout=300)
    assert last.returncode == 0, err[-2000:]
    acknowledged += acks(out)
    assert acknowledged
    assert split_figures(acknowledged, attempts(store)) == {
        "lost": 0,
        "duplicated": 0,
        "contradicted": 0,
    }


def test_the_stored_attempt_decides_the_feedback_in_one_process(tmp_path):
    """Without processes: an attempt already stored for the pending step (written by a process
    that then died) is what the session goes on from."""
    db = open_db(tmp_path / "store.db")
    build_fixture_curriculum(db, publish=True)
    tutor = TutorSessions(db, InMemorySaver(), prepare=False)
    payload = tutor.current("ada", "water")
    values = tutor.state("ada", "water")
    db["attempts"].insert(
        {
            "event_id": f"{values['session_id']}:1",
            "learner_id": "ada",
            "curriculum_id": "water",
            "exercise_id": payload["exercise"]["id"],
            "concept_id": values["exercise"]["concept_id"],
            "correct": 0,
            "score": 0.0,
            "answer": "a wrong answer",
            "at": "2026-12-06T21:00:00+00:00",
            "session_id": values["session_id"],
        }
    )
    after = tutor.answer("ada", "water", values["exercise"]["answer"], step=1)
    assert after["step"] == 2
    feedback = after["feedback"]
    assert (feedback["step"], feedback["your_answer"], feedback["verdict"]) == (
        1,
        "a wrong answer",
        "incorrect",
    )
    assert [r["answer"] for r in db.query("select answer from attempts")] == ["a wrong answer"]
    db.close()


def test_an_answer_stored_by_another_process_after_grading_decides_the_feedback(
    tmp_path, monkeypatch
):
    """Without the step lock (a second process that does not take it), another answer can land
    between ``grade`` reading the log and ``record`` writing it: the insert is then ignored,
    and the feedback must be about the stored answer, not the one this process holds."""
    from teachback.tutor import answers

    db = open_db(tmp_path / "store.db")
    build_fixture_curriculum(db, publish=True)
    tutor = TutorSessions(db, InMemorySaver(), prepare=False)
    payload = tutor.current("ada", "water")
    values = tutor.state("ada", "water")
    real_grade = answers.grade_answer

    def grade_then_the_other_process_records(exercise, answer):
        db["attempts"].insert(
            {
                "event_id": f"{values['session_id']}:{payload['step']}",
                "learner_id": "ada",
                "curriculum_id": "water",
                "exercise_id": exercise["id"],
                "concept_id": exercise["concept_id"],
                "correct": 0,
                "score": 0.0,
                "answer": "the other window's answer",
                "at": "2026-12-06T21:00:00+00:00",
                "session_id": values["session_id"],
            }
        )
        monkeypatch.setattr(answers, "grade_answer", real_grade)
        return real_grade(exercise, answer)

    monkeypatch.setattr(answers, "grade_answer", grade_then_the_other_process_records)
    after = tutor.answer("ada", "water", values["exercise"]["answer"], step=payload["step"])
    feedback = after["feedback"]
    assert (feedback["step"], feedback["your_answer"], feedback["verdict"]) == (
        payload["step"],
        "the other window's answer",
        "incorrect",
    )
    assert [r["answer"] for r in db.query("select answer from attempts")] == [
        "the other window's answer"
    ]
    db.close()
