"""The learner's join page: the class code (pre-filled from a ``?join=CODE`` link) and a display
name; then the learner learns on the ordinary Learn page, under the class's constraints (the
tutor reads them through ``classroom_constraints``).

The code is the only way in. A signed-in learner joins with their account; anyone else gets a
guest account of their own and is signed in with it (``sessions.join``), so nothing typed in the
address bar makes someone a member."""

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
    from teachback.curricula import accounts
    from teachback.ui import identity

    st.title("Join a class")
    user = identity.current_user()
    if user is not None:
        member = sessions.membership(common.get_db(), user.id)
        if member is not None:
            show_membership(member)
            return
    code = st.query_params.get("join", "")
    with st.form("join_class"):
        code = st.text_input("Class code", value=code, max_chars=20, key="join_code",
                             help="The 8-character code your instructor shows")  # fmt: skip
        name = st.text_input("Your name, as the class will see it", max_chars=sessions.NAME_MAX,
                             value=user.display_name[: sessions.NAME_MAX] if user else "",
                             key="join_name")  # fmt: skip
        submitted = st.form_submit_button("Join")
    if not submitted:
        return
    db = own_db()
    try:
        member = sessions.join(db, code, name, learner_id=user.id if user else None)
    except TeachbackError as err:
        st.error(str(err))
        return
    st.query_params.clear()
    if user is None:  # the guest account just made for this member: sign them in with it,
        # and show the membership (with a link to Learn) once the menu has the learner's pages
        identity.remember(
            accounts.start_session(db, member.learner_id, client=identity.client_address())
        )
        st.session_state["curriculum"] = member.curriculum_id
        st.rerun()
    st.session_state["curriculum"] = member.curriculum_id
    st.switch_page(_learn_page(), query_params={"curriculum": member.curriculum_id})
