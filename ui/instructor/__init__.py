"""The instructor's pages: Library, Curriculum editor, Review & publish, Exports.

Every page starts with ``require_instructor()``: without the instructor login it shows the
login form and stops, so learners never reach the page's content. ``app.py`` adds ``PAGES``
under an "Instructor" section of ``st.navigation``.
"""

import streamlit as st

from teachback.ui.instructor import editor, exports, library, review


def __getattr__(name: str):
    # ``st.Page`` needs a running script: the list is built when ``app.py`` asks for it, so
    # importing this package elsewhere (a test of one page's helpers) cannot leave broken pages
    # behind for the app.
    if name != "PAGES":
        raise AttributeError(name)
    return [
        st.Page(library.render, title="Library", icon="\U0001f4da", url_path="library"),
        st.Page(editor.render, title="Curriculum editor", icon="\u270f\ufe0f", url_path="editor"),
        st.Page(review.render, title="Review & publish", icon="\u2705", url_path="review"),
        st.Page(exports.render, title="Exports", icon="\U0001f4e6", url_path="exports"),
    ]
