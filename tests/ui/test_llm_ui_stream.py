"""The Ask page streams the model's answer (st.write_stream) when an LLM engine answers
questions, then shows the checked answer. Here the engine points at a closed port (no model
is needed to test the page's path): the stream carries the offline quote, which is shown with
its sources, exactly as without a model."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from teachback.curricula.db import open_db
from teachback.tests.engine.conftest import closed_port
from teachback.tests.session_fixture import build_fixture_curriculum
from teachback.tests.signin import sign_in_app


@pytest.fixture
def llm_app(tmp_path, monkeypatch):
    path = tmp_path / "app.db"
    db = open_db(path)
    build_fixture_curriculum(db, publish=True)
    monkeypatch.setenv("TEACHBACK_DB", str(path))
    monkeypatch.setenv("TEACHBACK_ENGINE", "openai")
    monkeypatch.setenv("TEACHBACK_MODEL", "some-model")
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{closed_port()}/v1")
    monkeypatch.setenv("TEACHBACK_LLM_TIMEOUT", "3")
    from teachback.engine import openai_engine

    monkeypatch.setattr(openai_engine, "_ENGINE", None)
    from teachback.ui import common

    common.get_engine.clear()  # the page's cached engine: the one configured here
    at = AppTest.from_string("from teachback.ui import ask\nask.render()\n", default_timeout=60)
    sign_in_app(at, db, "ada")
    at.query_params["curriculum"] = "water"
    yield at.run()
    db.close()
    common.get_engine.clear()  # the cached engine points at a closed port: not for later tests


def test_ask_page_streams_then_shows_checked_answer(llm_app):
    at = llm_app
    at.text_input(key="question").input("What is condensation?")
    at.button[0].click().run()
    assert not at.exception
    assert any("Condensation is the process" in m.value for m in at.markdown)
    assert any("water.md" in c.value or "The water cycle" in c.value for c in at.caption)
    from teachback.tutor.algorithms import tutor_engine

    report = tutor_engine().usage_report()  # the process-wide LLM engine's own count
    assert report["fallbacks"].get("answer_question", 0) >= 1  # the dead server was tried


def test_learn_page_streams_help_then_keeps_the_checked_text(llm_app, tmp_path):
    """The same page path for "Explain it another way" and "Get a hint": streamed through the
    model (here dead), then the checked text — the offline one — stays on screen."""
    at = AppTest.from_string("from teachback.ui import learn\nlearn.render()\n", default_timeout=60)
    db = open_db(tmp_path / "app.db")
    sign_in_app(at, db, "ada")
    at.query_params["curriculum"] = "water"
    at.run()
    at.button(key="explain_1").click().run()
    at.button(key="hint_1").click().run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert "In other words" in captions and "Hint 1 of 3: Where to look" in captions
    from teachback.tutor.algorithms import tutor_engine

    fallbacks = tutor_engine().usage_report()["fallbacks"]
    assert fallbacks.get("explain", 0) >= 1 and fallbacks.get("hint", 0) >= 1
