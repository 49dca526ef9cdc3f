"""Streaming answers (for st.write_stream): text arrives in pieces from a real server, is
checked afterwards like a structured answer; a dead server streams the offline answer."""

from __future__ import annotations

from teachback.engine.embedded import EmbeddedEngine
from teachback.engine.protocol import Span

from .conftest import closed_port, llm_engine

TEXT = "A queue is a collection where the first item added is the first item removed."
PASSAGES = [Span(source="s1", start=0, end=len(TEXT), quote=TEXT)]
Q = "What is a queue?"


def test_dead_server_streams_the_offline_answer(tmp_path):
    engine = llm_engine(f"http://127.0.0.1:{closed_port()}/v1", tmp_path, timeout=5)
    pieces = list(engine.stream_answer(Q, PASSAGES))
    offline = EmbeddedEngine().answer_question(Q, PASSAGES)
    assert "".join(pieces) == offline.text
    assert engine.usage_report()["fallbacks"] == {"answer_question": 1}


def test_ungrounded_stream_is_replaced(tmp_path):
    engine = llm_engine(f"http://127.0.0.1:{closed_port()}/v1", tmp_path)
    answer = engine.finish_stream(Q, PASSAGES, "Queues were invented by Napoleon in 1805.")
    assert answer == EmbeddedEngine().answer_question(Q, PASSAGES)
    good = engine.finish_stream(Q, PASSAGES, "A queue removes the first item added first [1].")
    assert good.covered and good.citations == PASSAGES


def test_real_server_streams_pieces(local_engine):
    pieces = list(local_engine.stream_answer(Q, PASSAGES))
    assert len(pieces) > 1  # really streamed, token by token
    final = local_engine.finish_stream(Q, PASSAGES, "".join(pieces))
    assert final.text  # either the checked model answer or the offline one
