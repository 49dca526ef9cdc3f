"""Shared pieces of the instructor pages: login, the store, the curriculum being worked on,
and the revisions an editor read (so a stale form gets an ``EditConflict``, never overwrites).

Each browser session gets its own database connection (``instructor_db``): an edit runs in its
own write transaction, and two instructors in two tabs really are two writers.
"""

from __future__ import annotations

import sqlite3
import time

import streamlit as st

from teachback.config import default_db_path
from teachback.curricula import auth
from teachback.errors import TeachbackError

MAX_FAILURES = 5
LOCKOUT_SECONDS = 30


def plain(text) -> str:
    """Text shown literally inside Markdown (names and quotes from sources are data)."""
    import re

    return re.sub(r"([\\`*_{}\[\]()#+\-.!|>~<&$])", r"\\\1", str(text))


def instructor_db():
    """This session's own connection to the store (``$TEACHBACK_DB`` or the default)."""
    from teachback.curricula.db import open_db

    path = str(default_db_path().resolve())
    state = st.session_state
    if state.get("_instructor_db_path") != path:
        state["_instructor_db"] = open_db(path)
        state["_instructor_db_path"] = path
    return state["_instructor_db"]


def _secret(*keys):
    try:
        value = st.secrets
        for k in keys:
            value = value[k]
        return value
    except Exception:  # no secrets file, or the key is not there
        return None


def _oidc_configured() -> bool:
    return bool(_secret("auth")) and hasattr(st, "login")


def require_instructor() -> str:
    """The signed-in instructor's name; otherwise show the login and stop the page."""
    state = st.session_state
    if state.get("instructor"):
        from teachback.ui.instructor.library import running_jobs

        with st.sidebar:
            st.caption(f"Instructor: {plain(state['instructor'])}")
            for job in running_jobs():  # visible on every instructor page while it runs
                st.caption(f"\u23f3 Ingest of {plain(job.curriculum)} running (see Library)")
            if st.button("Log out", key="instructor_logout"):
                state.pop("instructor", None)
                st.rerun()
        return state["instructor"]
    st.title("Instructor login")
    if _oidc_configured():
        user = getattr(st, "user", None)
        if user is not None and user.get("is_logged_in"):
            email = user.get("email") or user.get("name") or "instructor"
            allowed = _secret("teachback", "instructor_emails")
            if not allowed or email in allowed:
                state["instructor"] = email
                st.rerun()
            st.error(f"{plain(email)} is not on the instructor list.")
        st.button("Log in with your identity provider", on_click=st.login, key="oidc_login")
        st.caption("Or use the instructor password below.")
    stored = auth.configured_hash(_secret("teachback", "instructor_password_hash"))
    if stored is None:
        st.warning(
            "Instructor pages are locked: no instructor password is configured. Set "
            "`TEACHBACK_INSTRUCTOR_PASSWORD` (or `TEACHBACK_INSTRUCTOR_PASSWORD_HASH`, made with "
            "`python -m teachback.curricula.auth`) and restart `teachback serve`."
        )
        st.stop()
    locked_until = state.get("_login_locked_until", 0.0)
    with st.form("instructor_login"):
        name = st.text_input("Your name (shown in the edit history)", key="login_name")
        password = st.text_input("Instructor password", type="password", key="login_password")
        submitted = st.form_submit_button("Log in")
    if submitted:
        if time.monotonic() < locked_until:
            st.error("Too many wrong passwords: wait half a minute and try again.")
        elif not name.strip():
            st.error("Enter your name: every edit records who made it.")
        elif auth.verify_password(password, stored):
            state["instructor"] = name.strip()[:60]
            state["_login_failures"] = 0
            st.rerun()
        else:
            failures = state.get("_login_failures", 0) + 1
            state["_login_failures"] = failures
            if failures >= MAX_FAILURES:
                state["_login_locked_until"] = time.monotonic() + LOCKOUT_SECONDS
                state["_login_failures"] = 0
            st.error("Wrong password.")
    st.stop()


def pick_curriculum(db, *, allow_new: bool = False) -> str | None:
    """The curriculum this instructor works on (sidebar; remembered for the session)."""
    from teachback.curricula.repository import list_curricula

    options = {c["id"]: c["title"] or c["id"] for c in list_curricula(db)}
    state = st.session_state
    new_label = "\u2795 New curriculum\u2026"
    choices = list(options) + ([new_label] if allow_new else [])
    if not choices:
        st.info("No curriculum yet: add sources on the Library page.")
        return None
    current = state.get("instructor_curriculum")
    if current in options and state.get("instructor_curriculum_pick") == new_label:
        state["instructor_curriculum_pick"] = current  # the new curriculum exists now
    index = choices.index(current) if current in choices else 0
    with st.sidebar:
        # Pass ``index`` only when the widget has no state yet (Streamlit warns otherwise).
        has_state = state.get("instructor_curriculum_pick") in choices
        picked = st.selectbox(
            "Curriculum",
            choices,
            format_func=lambda c: options.get(c, c),
            key="instructor_curriculum_pick",
            **({} if has_state else {"index": index}),
        )
        if picked == new_label:
            new = st.text_input("New curriculum id (letters, digits, -)", key="new_curriculum")
            new = "".join(ch for ch in new.strip().lower() if ch.isalnum() or ch in "-_")
            if not new:
                return None
            state["instructor_curriculum"] = new
            return new
    state["instructor_curriculum"] = picked
    return picked


# ------------------------------------------------------------------ revisions the editor read


def read_rev(kind: str, key: str, current: int) -> int:
    """The revision of an item as this editor first saw it (kept until they reload/edit)."""
    revs = st.session_state.setdefault("_revs", {})
    return revs.setdefault(f"{kind}:{key}", current)


def forget_revs() -> None:
    st.session_state["_revs"] = {}


def run_edit(action, success: str, *, key: str = "edit", focus=None) -> bool:
    """Run an edit and show its outcome in place. A conflict offers a reload of the latest
    version; an invalid edit says what is wrong; nothing is overwritten in either case.

    ``focus``: the concept the editor shows next (an id, or a function of the edit's result,
    e.g. the id ``add_concept`` returns); see ``follow_edit``."""
    from teachback.errors import EditConflict

    try:
        result = action()
    except EditConflict as err:
        st.error(f"{err} (use \u201cReload the latest version\u201d in the sidebar)")
        # In the sidebar: a form may not hold a button with a callback.
        st.sidebar.button("Reload the latest version", on_click=forget_revs, key=f"reload_{key}")
        return False
    except TeachbackError as err:
        st.error(str(err))
        return False
    except sqlite3.OperationalError as err:  # e.g. locked for 30 s by a long ingest write
        st.error(f"The store is busy ({err}); nothing was changed — try again in a moment.")
        return False
    forget_revs()
    follow_edit(focus(result) if callable(focus) else focus)
    st.session_state["_flash"] = success
    st.rerun()
    return True


def follow_edit(concept_id: str | None) -> None:
    """After an edit the concept picker is drawn anew (its labels may have changed: a rename)
    and shows ``concept_id`` (the concept just edited), else the one picked before."""
    state = st.session_state
    state["_edit_generation"] = state.get("_edit_generation", 0) + 1
    if concept_id:
        state["_editor_focus"] = concept_id


def show_messages() -> None:
    """The outcome of the last successful edit (kept across the rerun that follows it)."""
    if msg := st.session_state.pop("_flash", None):
        st.success(msg)
