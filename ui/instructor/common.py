"""Shared pieces of the instructor pages: the instructor check, the store, the curriculum
being worked on, and the revisions an editor read (so a stale form gets an ``EditConflict``,
never overwrites).

Each browser session gets its own database connection (``instructor_db``): an edit runs in its
own write transaction, and two instructors in two tabs really are two writers.
"""

from __future__ import annotations

import streamlit as st

from teachback.config import default_db_path
from teachback.curricula.db import StoreBusy
from teachback.errors import TeachbackError


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


def require_instructor() -> str:
    """The signed-in instructor's username (who owns classes and signs edits); otherwise the
    sign-in form (or a refusal for a learner) and stop the page."""
    from teachback.ui.identity import current_user, sidebar_account, sign_in_form

    user = current_user()
    if user is not None and user.is_instructor:
        from teachback.ingest.jobs import running_jobs

        sidebar_account(user)
        with st.sidebar:
            for job in running_jobs():  # visible on every instructor page while it runs
                st.caption(f"\u23f3 Ingest of {plain(job.curriculum)} running (see Library)")
        return user.username
    st.title("Instructors only")
    if user is not None:
        sidebar_account(user)
        st.error("This page is for instructors: you are signed in as a learner.")
    else:
        sign_in_form(key="instructor_sign_in")
    st.stop()


def pick_curriculum(db, *, allow_new: bool = False, who: str | None = None) -> str | None:
    """The curriculum this instructor works on (sidebar; remembered for the session). With
    ``who``, curricula someone else owns are labelled with the owner's name, read-only."""
    from teachback.curricula.repository import list_curricula

    options = {c["id"]: c["title"] or c["id"] for c in list_curricula(db)}
    if who is not None:
        options = {cid: owned_label(db, cid, title, who) for cid, title in options.items()}
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


# ------------------------------------------------------------------ who owns the curriculum


def owned_label(db, curriculum: str, title: str, who: str) -> str:
    """``"Biology"`` for one's own (or shared) curriculum, ``"Biology (owned by Alice,
    read-only)"`` for someone else's."""
    from teachback.curricula import ownership

    seen = ownership.access(db, curriculum, who)
    return title if seen.mine else f"{title} (owned by {seen.owner_name}, read-only)"


def may_change(db, curriculum: str, who: str) -> bool:
    """Whether ``who`` may change ``curriculum``; if not, say whose it is (the store refuses
    the change anyway: this only spares the instructor forms that cannot work)."""
    from teachback.curricula import ownership

    seen = ownership.access(db, curriculum, who)
    if seen.mine:
        if seen.owner is None:
            st.caption("Nobody owns this curriculum yet: your first change makes it yours.")
        return True
    st.info(
        f"This curriculum belongs to {plain(seen.owner_name)}. You can read it; only its owner "
        "and the instructors they share it with can change it, publish it, teach a class on "
        "it or see its learners."
    )
    return False


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
    except StoreBusy as err:  # e.g. locked for 30 s by a long ingest write
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
