"""Interrupt an ingest (an exception in a node) and resume it from its checkpoint."""

from __future__ import annotations

import pytest

import teachback.ingest.readers as readers
from teachback.curricula import repository as repo
from teachback.curricula.db import open_db
from teachback.ingest import pipeline
from teachback.ingest.pipeline import checkpoint_path, run_ingest


@pytest.fixture
def counted_reads(monkeypatch):
    calls = []
    real = readers.load_sources

    def load_sources(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(readers, "load_sources", load_sources)
    return calls


def test_crash_in_lessons_then_resume_without_redoing_finished_work(
    tmp_path, corpus, double_engine, counted_reads, monkeypatch
):
    monkeypatch.setattr(pipeline, "BATCH", 1)  # stage each lesson on its own
    db = open_db(tmp_path / "r.db")
    real_write = double_engine.write_lesson
    seen = []

    def flaky(concept, documents, prerequisites=None):
        seen.append(concept.name)
        if len(seen) == 3:
            raise RuntimeError("simulated crash")
        return real_write(concept, documents, prerequisites=prerequisites)

    monkeypatch.setattr(double_engine, "write_lesson", flaky)
    with pytest.raises(RuntimeError, match="simulated crash"):
        run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    # nothing half-stored; the run is recorded as failed; a checkpoint is left to resume from
    assert db["concepts"].count == 0 and db["sources"].count == 0
    assert [r["status"] for r in db["ingest_runs"].rows] == ["failed"]
    assert checkpoint_path(db) and (tmp_path / "r.db.ingest.sqlite").exists()
    assert len(counted_reads) == 1 and double_engine.calls["extract"] == 1

    summary = run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    assert summary.resumed
    assert len(counted_reads) == 1  # sources were not read again
    assert double_engine.calls["extract"] == 1  # concepts not extracted again
    # the two lessons finished before the crash were not redone: 4 concepts, 5 calls in all
    assert len(seen) == 5 and sorted(seen[3:] + seen[:2]) == sorted(set(seen))
    assert summary.concepts == 4 and summary.lessons == 4
    assert [r["status"] for r in db["ingest_runs"].rows_where(order_by="id")] == [
        "failed",
        "done",
    ]
    # the checkpoint of a finished run is cleaned up: the next run starts fresh (a no-op)
    again = run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    assert not again.resumed and again.sources_unchanged == 2 and len(counted_reads) == 2


def test_resume_false_starts_over(tmp_path, corpus, double_engine, counted_reads, monkeypatch):
    db = open_db(tmp_path / "r2.db")
    double_engine.fail_lesson_once = True
    with pytest.raises(RuntimeError):
        run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    summary = run_ingest(db, [corpus], curriculum="bio", engine=double_engine, resume=False)
    assert not summary.resumed and len(counted_reads) == 2
    assert double_engine.calls["extract"] == 2
    assert summary.concepts == 4 and len(repo.get_lessons(db, "bio")) == 4


def test_exercise_stage_skipped_cleanly_when_unavailable(
    tmp_path, corpus, double_engine, monkeypatch
):
    def unavailable(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'teachback.ingest.exercises'")

    monkeypatch.setattr(double_engine, "generate_checked", unavailable)
    db = open_db(tmp_path / "x.db")
    summary = run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    assert "unavailable" in summary.exercises_skipped
    assert summary.concepts == 4 and summary.lessons == 4 and db["exercises"].count == 0


def test_ctrl_c_is_recorded_as_interrupted_and_resumes(
    tmp_path, corpus, double_engine, monkeypatch
):
    db = open_db(tmp_path / "k.db")
    real_write = double_engine.write_lesson
    state = {"pressed": False}

    def ctrl_c_once(concept, documents, prerequisites=None):
        if not state["pressed"]:
            state["pressed"] = True
            raise KeyboardInterrupt
        return real_write(concept, documents, prerequisites=prerequisites)

    monkeypatch.setattr(double_engine, "write_lesson", ctrl_c_once)
    with pytest.raises(KeyboardInterrupt):
        run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    assert [r["status"] for r in db["ingest_runs"].rows] == ["interrupted"]
    assert db["concepts"].count == 0
    summary = run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    assert summary.resumed and summary.concepts == 4 and summary.lessons == 4
