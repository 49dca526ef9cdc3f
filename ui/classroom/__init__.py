"""Classroom pages: the instructor's live class (behind the instructor login) and the join
page (anyone with the class code). ``app.py`` adds them under "Classroom" (instructors) and
"Learn" (learners and visitors) of ``st.navigation``."""

import streamlit as st

from teachback.ui.classroom import join, live


def __getattr__(name: str):
    # ``st.Page`` needs a running script: built when ``app.py`` asks (see ui/instructor).
    learner = [
        st.Page(join.render, title="Join a class", icon=":material/login:", url_path="join"),
    ]
    instructor = [
        st.Page(live.render, title="Live class", icon=":material/groups:", url_path="classroom"),
    ]
    pages = {
        "LEARNER_PAGES": learner,
        "INSTRUCTOR_PAGES": instructor,
        "PAGES": learner + instructor,
    }
    if name not in pages:
        raise AttributeError(name)
    return pages[name]
