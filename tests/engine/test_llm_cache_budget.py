"""Cache (a re-run costs no tokens and sends no request) and the per-ingest token budget."""

from __future__ import annotations

import pytest

from teachback.engine import prompts as P
from teachback.engine.cache import LLMCache, cache_key
from teachback.engine.embedded import EmbeddedEngine
from teachback.engine.llm_budget import BudgetExceeded, Usage
from teachback.engine.llm_config import STEPS
from teachback.engine.protocol import GradeRequest
from teachback.ingest.algorithms import IngestSteps
from teachback.ingest.pipeline import run_ingest
from teachback.tutor.algorithms import TutorSteps

from .conftest import closed_port, llm_engine

REQ = GradeRequest(
    question="What does pop do?",
    reference="Pop removes the item on top of a stack.",
    answer="It removes the top item of the stack.",
)


def _grade_messages(engine, req):
    """The exact messages the engine sends for ``req`` (captured from its own builder)."""
    sent = {}

    def capture(step, msgs, schema, max_tokens=0):
        sent.update(step=step, msgs=msgs, schema=schema)
        raise BudgetExceeded("captured")

    engine.complete = capture
    engine.grade(req)
    del engine.complete
    return sent


def test_cached_response_is_used_without_any_request(tmp_path):
    # The server is a closed port: any request would fail and fall back.
    engine = llm_engine(f"http://127.0.0.1:{closed_port()}/v1", tmp_path)
    sent = _grade_messages(engine, REQ)
    key = cache_key("local-0.5b", sent["msgs"], sent["schema"].model_json_schema())
    stored = P.LLMGrade(
        analysis="Same meaning.", covered=[1], score=4, feedback="Right: pop removes the top item."
    )
    LLMCache(tmp_path / "cache.db").put(key, "local-0.5b", stored.model_dump_json(), 123)
    engine.usage = Usage()
    grade = engine.grade(REQ)
    assert grade.score == 0.8 and grade.feedback == stored.feedback
    report = engine.usage_report()
    assert report["cached"] == 1 and report["calls"] == 0 and report["fallbacks"] == {}


def test_same_prompt_other_model_is_not_a_hit(tmp_path):
    engine = llm_engine(f"http://127.0.0.1:{closed_port()}/v1", tmp_path)
    sent = _grade_messages(engine, REQ)
    key = cache_key("local-0.5b", sent["msgs"], sent["schema"].model_json_schema())
    other = cache_key("local-1.5b", sent["msgs"], sent["schema"].model_json_schema())
    assert key != other


def test_budget_spent_uses_embedded_and_reports(tmp_path):
    engine = llm_engine(
        f"http://127.0.0.1:{closed_port()}/v1", tmp_path, budget_tokens=100
    ).for_ingest()
    engine.usage.add_tokens(80, 30)  # 110 tokens already spent in this ingest
    grade = engine.grade(REQ)
    assert grade == EmbeddedEngine(IngestSteps(), TutorSteps()).grade(REQ)
    report = engine.usage_report()
    assert report["budget_exceeded"] is True
    assert report["fallback_reasons"] == {"budget": 1}
    assert report["calls"] == 1  # only the call counted above: nothing was sent


def test_each_ingest_gets_its_own_budget(tmp_path):
    base = llm_engine("http://127.0.0.1:9/v1", tmp_path, budget_tokens=50)
    a, b = base.for_ingest(), base.for_ingest()
    a.usage.add_tokens(60, 0)
    with pytest.raises(BudgetExceeded):
        a.usage.check_budget()
    b.usage.check_budget()  # untouched


def test_real_server_budget_and_cache(local_server, tmp_path, db):
    """Against the real local model: an ingest with a tiny budget makes one call, then runs
    offline and still finishes; an ingest sending that same prompt again is a cache hit."""
    src = tmp_path / "q.md"
    src.write_text(
        "# Queues\n\nA **queue** is a collection where the first item added is the first "
        "item removed.\n\n**Enqueue** is the operation that adds an item at the back of a queue.\n",
        encoding="utf-8",
    )
    offline = dict.fromkeys(STEPS, "embedded")
    # Lessons through the model (cheap prompts), everything else offline.
    engine = llm_engine(
        local_server, tmp_path, budget_tokens=1, route={**offline, "write_lesson": "llm"}
    )
    summary = run_ingest(db, [src], curriculum="q", engine=engine)
    # Two concepts, so the second lesson finds the budget spent by the first.
    assert summary.concepts == 2 and summary.lessons == summary.concepts
    assert summary.llm["calls"] == 1  # one call, then the budget was known to be spent
    assert summary.tokens > 0 and summary.llm["budget_exceeded"] is True
    assert summary.llm["fallbacks"]["write_lesson"] == summary.concepts - 1
    # The same source into another curriculum: the first lesson prompt is answered from the
    # cache (0 tokens, no request); the budget then buys exactly one new call.
    again = run_ingest(db, [src], curriculum="q2", engine=engine)
    assert again.llm["cached"] >= 1 and again.llm["calls"] <= 1
