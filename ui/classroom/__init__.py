"""Classroom pages: the instructor's live class (behind the instructor login) and the learner's
join page. ``app.py`` adds ``PAGES`` under a "Classroom" section of ``st.navigation``."""

import streamlit as st

from teachback.ui.classroom import join, live


def __getattr__(name: str):
    # ``st.Page`` needs a running script: built when ``app.py`` asks (see ui/instructor).
    if name != "PAGES":
        raise AttributeError(name)
    return [
        st.Page(join.render, title="Join a class", icon=":material/login:", url_path="join"),
        st.Page(live.render, title="Live class", icon=":material/groups:", url_path="classroom"),
    ]
