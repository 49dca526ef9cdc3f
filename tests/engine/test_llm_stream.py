"""Streaming answers, hints and explanations (for st.write_stream): text arrives in pieces
from a real server and is checked afterwards like a structured answer; a dead server streams
the offline text."""

from __future__ import annotations

from teachback.engine.answer_check import gives_answer_away
from teachback.engine.embedded import EmbeddedEngine
from teachback.engine.protocol import ExerciseDraft, Span
from teachback.tutor.algorithms import TutorSteps

from .conftest import closed_port, llm_engine

OFFLINE = EmbeddedEngine(tutor=TutorSteps())  # the offline steps the LLM engine falls back to

TEXT = "A queue is a collection where the first item added is the first item removed."
PASSAGES = [Span(source="s1", start=0, end=len(TEXT), quote=TEXT)]
Q = "What is a queue?"


def test_dead_server_streams_the_offline_answer(tmp_path):
    engine = llm_engine(f"http://127.0.0.1:{closed_port()}/v1", tmp_path, timeout=5)
    pieces = list(engine.stream_answer(Q, PASSAGES))
    offline = OFFLINE.answer_question(Q, PASSAGES)
    assert "".join(pieces) == offline.text
    assert engine.usage_report()["fallbacks"] == {"answer_question": 1}


def test_ungrounded_stream_is_replaced(tmp_path):
    engine = llm_engine(f"http://127.0.0.1:{closed_port()}/v1", tmp_path)
    answer = engine.finish_stream(Q, PASSAGES, "Queues were invented by Napoleon in 1805.")
    assert answer == OFFLINE.answer_question(Q, PASSAGES)
    good = engine.finish_stream(Q, PASSAGES, "A queue removes the first item added first [1].")
    assert good.covered and good.citations == PASSAGES


def test_real_server_streams_pieces(local_engine):
    pieces = list(local_engine.stream_answer(Q, PASSAGES))
    assert len(pieces) > 1  # really streamed, token by token
    final = local_engine.finish_stream(Q, PASSAGES, "".join(pieces))
    assert final.text  # either the checked model answer or the offline one


HINT_FOR = ExerciseDraft(
    concept="queue",
    kind="cloze",
    prompt="A ____ is a collection where the first item added is the first item removed.",
    answer="queue",
    citations=PASSAGES,
)


def test_dead_server_streams_the_offline_hint_and_explanation(tmp_path):
    engine = llm_engine(f"http://127.0.0.1:{closed_port()}/v1", tmp_path, timeout=5)
    hint = "".join(engine.stream_hint(HINT_FOR))
    assert hint == OFFLINE.hint(HINT_FOR) and "queue" not in hint.lower()
    explained = "".join(engine.stream_explanation("queue", PASSAGES))
    assert explained == OFFLINE.explain("queue", PASSAGES)
    assert engine.finish_explanation("queue", PASSAGES, explained) == explained
    assert engine.usage_report()["fallbacks"] == {"hint": 1, "explain": 1}


def test_a_streamed_hint_that_gives_the_key_away_is_replaced(tmp_path):
    engine = llm_engine(f"http://127.0.0.1:{closed_port()}/v1", tmp_path)
    assert engine.finish_hint(HINT_FOR, "", "The answer is queue.") == OFFLINE.hint(HINT_FOR)
    nudge = "Which collection removes the oldest item first?"
    assert engine.finish_hint(HINT_FOR, "", nudge) == nudge


def test_an_ungrounded_explanation_is_replaced(tmp_path):
    engine = llm_engine(f"http://127.0.0.1:{closed_port()}/v1", tmp_path)
    made_up = "Queues were invented by Napoleon in 1805 to organise his cavalry parades daily."
    assert engine.finish_explanation("queue", PASSAGES, made_up) == OFFLINE.explain(
        "queue", PASSAGES
    )
    grounded = (
        "A queue is a collection: the first item added is the first item removed, "
        "like a collection where first added is first removed."
    )
    assert engine.finish_explanation("queue", PASSAGES, grounded) == grounded


def test_real_server_streams_a_hint_and_an_explanation(local_engine):
    pieces = list(local_engine.stream_hint(HINT_FOR))
    assert len(pieces) > 1
    hint = local_engine.finish_hint(HINT_FOR, "", "".join(pieces))
    assert hint and not gives_answer_away(hint, HINT_FOR)
    pieces = list(local_engine.stream_explanation("queue", PASSAGES))
    assert len(pieces) > 1
    assert local_engine.finish_explanation("queue", PASSAGES, "".join(pieces))
