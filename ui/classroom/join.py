"""The learner's join page: the class code (pre-filled from a ``?join=CODE`` link) and a display
name; then the learner learns on the ordinary Learn page, under the class's constraints (the
tutor reads them through ``classroom_constraints``)."""

from __future__ import annotations

import streamlit as st

from teachback.errors import TeachbackError
from teachback.tutor.classroom import sessions
from teachback.ui import common


def own_db():
    """This browser session's own connection for writes (the app's shared one serves the
    tutor; a sqlite3 connection must not run transactions from several threads at once)."""
    from teachback.curricula.db import open_db

    path = str(common.db_path())
    state = st.session_state
    if state.get("_class_db_path") != path:
        state["_class_db"] = open_db(path)
        state["_class_db_path"] = path
    return state["_class_db"]


def _learn_page():
    from teachback.ui import learn

    return st.Page(learn.render, title="Learn", url_path="learn", default=True)


def show_membership(member: sessions.Member) -> None:
    db = common.get_db()
    session = sessions.get_session(db, member.session_id)
    st.success(f"You are in class **{common.plain(session.id)}** as "
               f"**{common.plain(member.display_name)}**.")  # fmt: skip
    if session.status == "paused":
        st.info("Your instructor has paused the class for a moment.")
    elif session.status == "ended":
        st.info("This class has ended. Your progress is kept; you can go on learning alone.")
    st.page_link(_learn_page(), label="Go to Learn", icon=":material/menu_book:")


def render() -> None:
    st.title("Join a class")
    state = st.session_state
    who = common.current_learner()
    if who is not None:
        member = sessions.membership(common.get_db(), who.id, who.curriculum)
        if member is not None:
            show_membership(member)
            return
    code = st.query_params.get("join", "")
    with st.form("join_class"):
        code = st.text_input("Class code", value=code, max_chars=20, key="join_code",
                             help="The 8-character code your instructor shows")  # fmt: skip
        name = st.text_input("Your name, as the class will see it", max_chars=sessions.NAME_MAX,
                             key="join_name")  # fmt: skip
        submitted = st.form_submit_button("Join")
    if not submitted:
        return
    try:
        member = sessions.join(own_db(), code, name)
    except TeachbackError as err:
        st.error(str(err))
        return
    state["learner"] = common.Learner(member.learner_id, member.learner_name, member.curriculum_id)
    st.query_params.clear()
    st.switch_page(
        _learn_page(),
        query_params={"learner": member.learner_name, "curriculum": member.curriculum_id},
    )
