"""Who is learning what: the signed-in learner and the curriculum this tab works on, the
learner's sidebar (curriculum choice), and the sign-in prompt the learner pages stop at."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from teachback.ui import identity
from teachback.ui.common import get_db


@dataclass(frozen=True)
class Learner:
    """The signed-in person learning ``curriculum``: ``id`` is their account's id (never a
    name from the address bar)."""

    id: str
    name: str
    curriculum: str


def curricula_for_learners() -> dict[str, str]:
    """Curricula a learner can pick: the published ones, id -> title (learners only ever see
    a curriculum's published version, never the instructor's draft)."""
    from teachback.curricula import catalogue

    return {r["id"]: r["title"] for r in catalogue.published(get_db())}


def unpublished_count() -> int:
    """Curricula that exist but are not published yet (being prepared by an instructor)."""
    from teachback.curricula import catalogue

    return catalogue.unpublished_count(get_db())


def _curriculum(options: dict[str, str], learner_id: str) -> str | None:
    """The curriculum this tab works on: the learner's choice, the page address (a bookmark),
    their class's, or the only one there is."""
    state = st.session_state
    if state.get("curriculum") in options:
        return state["curriculum"]
    wanted = st.query_params.get("curriculum")
    if wanted not in options:
        from teachback.tutor.classroom.sessions import membership

        member = membership(get_db(), learner_id)
        wanted = member.curriculum_id if member is not None else None
    if wanted not in options and len(options) == 1:
        wanted = next(iter(options))
    if wanted in options:
        state["curriculum"] = wanted
        return wanted
    return None


def current_learner() -> Learner | None:
    """The signed-in person and the curriculum they are learning, or None."""
    user = identity.current_user()
    if user is None:
        return None
    curriculum = _curriculum(curricula_for_learners(), user.id)
    if curriculum is None:
        return None
    if "learner" in st.query_params:  # an old link's name grants nothing: drop it
        del st.query_params["learner"]
    st.query_params["curriculum"] = curriculum
    return Learner(user.id, user.display_name, curriculum)


def learner_sidebar() -> Learner | None:
    """The sidebar: who is signed in, the curriculum (a choice when there are several)."""
    user = identity.current_user()
    if user is None:
        return None
    identity.sidebar_account(user)
    options = curricula_for_learners()
    with st.sidebar:
        if not options:
            if unpublished_count():
                st.info(
                    "Nothing to learn yet: a curriculum is being prepared and will appear here "
                    "as soon as an instructor publishes it (Instructor → Review & publish)."
                )
            else:
                st.warning("No curriculum yet. Run `teachback quickstart` or `teachback ingest`.")
            return None
        current = _curriculum(options, user.id)
        if len(options) > 1 or current is None:
            ids = list(options)
            picked = st.selectbox(
                "Curriculum",
                ids,
                index=ids.index(current) if current in ids else None,
                format_func=lambda c: options[c],
                key="pick_curriculum",
                placeholder="Pick a curriculum",
            )
            if picked is not None and picked != current:
                st.session_state["curriculum"] = picked
                st.rerun()
        if waiting := unpublished_count():
            st.caption(
                f"{waiting} more {'curriculum is' if waiting == 1 else 'curricula are'} "
                "being prepared and will appear once published."
            )
    return current_learner()


def welcome() -> None:
    """What a signed-in newcomer sees before picking a curriculum."""
    st.info("**To begin:** pick a curriculum in the sidebar.")
    st.markdown(
        "teachback has read the curriculum's source material and now teaches it to you, "
        "one concept at a time:\n\n"
        "1. **Learn** — a short lesson drawn from the sources, then a question. You get "
        "feedback at once, with the passage to reread.\n"
        "2. **Progress** — your concept map, coloured as you master each concept, and what "
        "is due for review.\n"
        "3. **Ask** — any question; the answer is quoted from the sources.\n\n"
        "Your place is kept with your account: sign in again later and you continue where "
        "you stopped."
    )


def require_learner() -> Learner:
    """The signed-in learner, or the sign-in form (or a curriculum prompt) and stop."""
    if identity.current_user() is None:
        st.info("Sign in to learn: your progress is kept with your account.")
        identity.sign_in_form()
        st.stop()
    who = learner_sidebar()
    if who is None:
        welcome()
        st.stop()
    return who
