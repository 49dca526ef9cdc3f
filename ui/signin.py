"""The sign-in page: the only page shown before someone signs in (besides joining a class)."""

from __future__ import annotations

import streamlit as st

from teachback.ui import identity


def render() -> None:
    st.title("Sign in to teachback")
    st.markdown(
        "teachback has read a curriculum's sources and teaches it to you, one concept at a "
        "time: a short lesson, a question, feedback with the passage to reread."
    )
    identity.sign_in_form()
    st.caption(
        "New here? Your instructor gives you a one-time sign-in code or link; once in, set a "
        "password on the **Account** page to come back. In a class? Open **Join a class** "
        "with the class code."
    )
