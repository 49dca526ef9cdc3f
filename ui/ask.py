"""The Ask page: a free question, answered from the curriculum's sources with citations."""

from __future__ import annotations

import streamlit as st

from teachback.errors import TeachbackError
from teachback.tutor.ask import ask
from teachback.ui import common
from teachback.ui.learner import require_learner


def render() -> None:
    st.title("Ask the tutor")
    who = require_learner()
    st.caption("Answers come only from this curriculum's sources, quoted with where they are from.")
    with st.form("ask"):
        question = st.text_input("Your question", key="question", max_chars=2000)
        asked = st.form_submit_button("Ask")
    if asked and question.strip():
        engine = common.get_engine()
        try:
            if _streams(engine):
                answer = _stream(common.get_db(), who.curriculum, question, engine)
            else:
                answer = ask(common.get_db(), who.curriculum, question, engine=engine)
        except TeachbackError as err:
            st.error(str(err))
            st.stop()
        st.session_state["last_answer"] = (question, answer)
    elif asked:
        st.warning("Type a question first.")
    if "last_answer" in st.session_state:
        question, answer = st.session_state["last_answer"]
        st.markdown(f"**You asked:** {common.plain(question)}")
        if answer.covered:
            with st.container(border=True, key="answer"):
                common.show_source_text(answer.text)
            sources = common.source_titles([c.source for c in answer.citations])
            st.caption("Sources: " + " \u00b7 ".join(common.plain(t) for t in sources))
        else:
            st.info(answer.text)


def _streams(engine) -> bool:
    """Whether ``engine`` writes answers with a model, so they stream (engine/openai_engine/)."""
    return engine is not None and common.model_writes(engine, "answer_question")


def _stream(db, curriculum: str, question: str, engine):
    """Show the model's answer as it is written (``st.write_stream``), then replace it with
    the checked answer: the model's if it stays within the cited passages, else the offline
    quote. Retrieval is the same as ``teachback.tutor.ask.ask`` (published sources only)."""
    from teachback.tutor.ask import retrieve
    from teachback.tutor.published import load_curriculum

    question = question.strip()[:2000]
    published = load_curriculum(db, curriculum, published_only=True)  # NotFound: unpublished
    passages = retrieve(db, curriculum, question, sources=published.source_ids)
    if not passages:
        return ask(db, curriculum, question)
    text = common.stream_then_clear(engine.stream_answer(question, passages))
    return engine.finish_stream(question, passages, text)
