"""The People page (instructors): accounts, new learners, and one-time sign-in codes.

A learner account has no password until its owner sets one; the instructor hands out a one-time
code (or link) to sign in with. Accounts carried over from before sign-in existed (a learner
name) are listed too: a code lets their owner claim them, with their progress.
"""

from __future__ import annotations

import streamlit as st

from teachback.curricula import accounts
from teachback.errors import TeachbackError
from teachback.ui import identity
from teachback.ui.common import get_db, plain


def base_url() -> str:
    """The address learners open: ``$TEACHBACK_PUBLIC_URL``, else the one this page has."""
    import os

    if configured := os.environ.get("TEACHBACK_PUBLIC_URL", "").strip():
        return configured.rstrip("/")
    try:
        url = st.context.url or ""
    except Exception:
        url = ""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def show_code(username: str, code: str) -> None:
    st.success(f"One-time sign-in code for **{plain(username)}** (valid for 7 days, once):")
    st.code(code, language=None)
    st.caption("Or send this link, which signs them in directly:")
    st.code(accounts.sign_in_link(code, base_url()), language=None)


def render() -> None:
    st.title("People")
    user = identity.current_user()
    if user is None or not user.is_instructor:
        st.error("This page is for instructors.")
        st.stop()
    db = get_db()
    if issued := st.session_state.pop("_issued_code", None):
        show_code(*issued)

    st.subheader("Add a learner")
    with st.form("add_learner"):
        username = st.text_input("Username (what they type to sign in)", key="new_username")
        name = st.text_input("Display name", key="new_display_name")
        added = st.form_submit_button("Add and make a sign-in code")
    if added:
        try:
            learner = accounts.create_user(
                db, username, "learner", display_name=name, created_by=user.username
            )
            code = accounts.issue_code(db, learner.username, created_by=user.username)
        except TeachbackError as err:
            st.error(identity.sentence(err))
        else:
            st.session_state["_issued_code"] = (learner.username, code)
            st.rerun()

    st.subheader("Accounts")
    people = accounts.list_users(db)
    st.dataframe(
        [
            {
                "Username": p.username,
                "Name": p.display_name,
                "Role": p.role,
                "Signs in with": "password" if p.has_password else "one-time code",
                "Status": "disabled" if p.disabled else "active",
            }
            for p in people
        ],
        hide_index=True,
        width="stretch",
    )
    learners = [p.username for p in people if p.role == "learner" and not p.disabled]
    if learners:
        with st.form("issue_code"):
            who = st.selectbox("Learner", learners, key="code_for")
            issued = st.form_submit_button("Make a one-time sign-in code")
        if issued:
            try:
                code = accounts.issue_code(db, who, created_by=user.username)
            except TeachbackError as err:
                st.error(identity.sentence(err))
            else:
                st.session_state["_issued_code"] = (who, code)
                st.rerun()
