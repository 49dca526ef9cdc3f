"""Never worse than offline: a refused, garbled, invalid or hanging server falls back to the
embedded engine for that step, records it, and an ingest still finishes."""

from __future__ import annotations

import logging
import time

import pytest

from teachback.engine.embedded import EmbeddedEngine
from teachback.engine.protocol import GradeRequest
from teachback.ingest.algorithms import IngestSteps
from teachback.ingest.pipeline import run_ingest
from teachback.ingest.readers import read_file
from teachback.tutor.algorithms import TutorSteps

from .conftest import closed_port, llm_engine

SOURCE = """# Stacks

A **stack** is a collection where the last item pushed is the first item popped.

**Push** adds an item to the top of a stack. **Pop** removes the item on top of a stack.
A stack overflow happens when a stack grows beyond its capacity.
"""

REQ = GradeRequest(
    question="What does pop do?",
    reference="Pop removes the item on top of a stack.",
    answer="It takes off the top item of the stack.",
)


@pytest.fixture
def src(tmp_path):
    path = tmp_path / "stacks.md"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def test_connection_refused_falls_back_per_step(tmp_path, src, caplog):
    engine = llm_engine(f"http://127.0.0.1:{closed_port()}/v1", tmp_path, timeout=5)
    doc = read_file(src)
    with caplog.at_level(logging.WARNING, logger="teachback.llm"):
        concepts = engine.extract_concepts([doc])
        grade = engine.grade(REQ)
    offline = EmbeddedEngine(IngestSteps(), TutorSteps())
    assert [c.name for c in concepts] == [c.name for c in offline.extract_concepts([doc])]
    assert grade == offline.grade(REQ)
    report = engine.usage_report()
    assert report["fallbacks"] == {"extract_concepts": 1, "grade": 1}
    assert report["calls"] == 0 and report["tokens"] == 0
    assert "unavailable" in report["fallback_reasons"]
    assert any("fell back to the embedded engine" in r.message for r in caplog.records)


@pytest.mark.parametrize("mode", ["garbage", "invalid"])
def test_garbage_or_invalid_json_falls_back(tmp_path, failing_server, mode):
    engine = llm_engine(failing_server(mode), tmp_path, timeout=5)
    grade = engine.grade(REQ)
    assert grade == EmbeddedEngine(IngestSteps(), TutorSteps()).grade(REQ)
    assert failing_server.handler.requests >= 1  # the server was really asked
    report = engine.usage_report()
    assert report["fallbacks"] == {"grade": 1}
    if mode == "invalid":
        assert report["fallback_reasons"] == {"invalid": 1}
        assert report["tokens"] == 59  # the failed call's tokens still count


def test_hanging_server_times_out_then_circuit_opens(tmp_path, failing_server):
    engine = llm_engine(failing_server("hang"), tmp_path, timeout=1)
    started = time.monotonic()
    engine.grade(REQ)
    engine.grade(REQ)  # second transport failure opens the circuit
    before = failing_server.handler.requests
    engine.grade(REQ)  # fails fast without asking the server
    assert failing_server.handler.requests == before
    assert time.monotonic() - started < 10
    report = engine.usage_report()
    assert report["fallbacks"] == {"grade": 3}
    assert report["fallback_reasons"].get("timeout", 0) >= 1


def test_ingest_with_dead_server_finishes(db, tmp_path, src):
    engine = llm_engine(f"http://127.0.0.1:{closed_port()}/v1", tmp_path, timeout=5)
    summary = run_ingest(db, [src], curriculum="c", engine=engine)
    assert summary.sources_read == 1 and summary.concepts > 0 and summary.lessons > 0
    assert summary.llm["fallbacks"].get("extract_concepts") == 1
    assert summary.tokens == 0
    assert db.execute("select count(*) from concepts").fetchone()[0] == summary.concepts


def test_routed_steps_never_call_the_server(tmp_path):
    engine = llm_engine(f"http://127.0.0.1:{closed_port()}/v1", tmp_path)
    engine = engine.with_config(route={"grade": "embedded"})
    engine.grade(REQ)
    report = engine.usage_report()
    assert report["fallbacks"] == {} and report["embedded_steps"] == {"grade": 1}
