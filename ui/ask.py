"""The Ask page: a free question, answered from the curriculum's sources with citations."""

from __future__ import annotations

import streamlit as st

from teachback.errors import TeachbackError
from teachback.tutor.ask import ask
from teachback.ui import common


def render() -> None:
    st.title("Ask the tutor")
    who = common.require_learner()
    st.caption("Answers come only from this curriculum's sources, quoted with where they are from.")
    with st.form("ask"):
        question = st.text_input("Your question", key="question", max_chars=2000)
        asked = st.form_submit_button("Ask")
    if asked and question.strip():
        try:
            answer = ask(common.get_db(), who.curriculum, question, engine=common.get_engine())
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
