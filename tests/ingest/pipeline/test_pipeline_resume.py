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


def test_engine_with_separate_make_and_self_check_steps(tmp_path, corpus, double_engine):
    """An engine implementing only the protocol's make_exercises + self_check (as an LLM
    engine may): the verify stage runs its self_check and stores why each was rejected."""
    from teachback.engine.protocol import Engine, SelfCheckResult

    class ProtocolOnly(Engine):
        name = "protocol-only"

        def __init__(self, inner):
            self.inner = inner

        def extract_concepts(self, documents):
            return self.inner.extract_concepts(documents)

        def link_prerequisites(self, concepts, documents):
            return self.inner.link_prerequisites(concepts, documents)

        def write_lesson(self, concept, documents, prerequisites=None):
            return self.inner.write_lesson(concept, documents)

        def make_exercises(self, concept, concepts, documents):
            kept, rejected = self.inner.generate_checked(concept, concepts, documents)
            return kept + rejected

        def self_check(self, exercise, documents, kept):
            ok = exercise.kind == "cloze"
            return SelfCheckResult(passed=ok, reasons=[] if ok else ["answer_revealed"])

    db = open_db(tmp_path / "po.db")
    summary = run_ingest(db, [corpus], curriculum="bio", engine=ProtocolOnly(double_engine))
    assert summary.exercises_kept == 4 and summary.exercises_rejected == 4
    assert summary.units == 2  # no order_units: one unit per source, in order
    rejected = repo.get_exercises(db, "bio", statuses=("rejected",))
    assert {x["kind"] for x in rejected} == {"true_false"}
    assert all("answer_revealed" in x["self_check"]["reasons"] for x in rejected)
