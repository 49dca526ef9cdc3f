"""The instructor's live class: start a session on a published curriculum, show the join code,
cap / push / pause / end; below, the dashboard that refreshes itself, or an ended class's report
(``live_view.py``).

Pages only parse input, call a function in ``teachback.tutor.classroom`` and show the result.
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from teachback.curricula import catalogue, ownership
from teachback.errors import TeachbackError
from teachback.tutor.classroom import address, controls, sessions
from teachback.ui.classroom.live_view import live_dashboard, show_report
from teachback.ui.humanize import human_time
from teachback.ui.instructor.common import instructor_db, plain, require_instructor


def _published(db) -> dict[str, str]:
    return {r["id"]: f"{r['title']} (v{r['published_version']})" for r in catalogue.published(db)}


def _mine(db, curriculum: str, who: str) -> bool:
    """``who`` owns or co-owns ``curriculum`` (an unowned one counts: starting claims it)."""
    return ownership.access(db, curriculum, who).mine


STATUS = {"active": "running", "paused": "paused", "ended": "ended"}


def _act(action, done: str) -> None:
    try:
        action()
    except TeachbackError as err:
        st.error(str(err))
        return
    st.session_state["_class_flash"] = done
    st.rerun()


def join_base() -> tuple[str, str]:
    """The base of join links and a note for the teacher (see ``address.join_base``)."""
    from teachback.config import public_url

    url = str(getattr(st.context, "url", None) or "")
    return address.join_base(public_url(), url, address.lan_address())


def start_form(db, caller: sessions.Caller) -> None:
    published = _published(db)
    if not published:
        st.info("Publish a curriculum first (Instructor \u2192 Review & publish).")
        return
    # Only the curricula a class may start on (``start_session`` enforces the same rule):
    # another instructor's would only be offered to be refused.
    options = {cid: label for cid, label in published.items() if _mine(db, cid, caller.id)}
    if not options:
        st.info(
            "None of the published curricula is yours: a class runs on a curriculum you own "
            "or one shared with you (its owner can share it on the Library page)."
        )
        return
    with st.form("start_class"):
        curriculum = st.selectbox("Curriculum", list(options), format_func=options.get,
                                  key="class_curriculum")  # fmt: skip
        hours = st.number_input("Join code valid for (hours)", 1, 24, 4, key="class_hours")
        if st.form_submit_button("Start a class"):

            def go():
                s = sessions.start_session(db, curriculum, caller.id, ttl=timedelta(hours=hours))
                st.session_state["class_session"] = s.id

            _act(go, "Class started: share the code below.")


def pick_session(db, caller) -> sessions.ClassSession | None:
    mine = sessions.sessions_of(db, caller)
    if not mine:
        return None
    titles = catalogue.titles(db)
    labels = {s.id: f"{titles.get(s.curriculum_id, s.curriculum_id)} \u00b7 started "
                    f"{human_time(s.created_at)} \u00b7 {STATUS.get(s.status, s.status)}"
              for s in mine}  # fmt: skip
    current = st.session_state.get("class_session")
    ids = list(labels)
    index = ids.index(current) if current in ids else 0
    with st.sidebar:
        picked = st.selectbox("Class session", ids, index=index, format_func=labels.get,
                              key=f"pick_class_{current}")  # fmt: skip
    st.session_state["class_session"] = picked
    return next(s for s in mine if s.id == picked)


def show_code(session: sessions.ClassSession) -> None:
    try:
        base, note = join_base()
    except TeachbackError as err:  # a malformed public URL: say so, keep the code usable
        base, note = "", str(err)
    link = sessions.join_link(session.code, base)
    left, right = st.columns([1, 2])
    left.metric("Join code", session.code)
    with right:
        st.markdown("Join link: learners open it, or type the code on *Join a class*.")
        st.code(link, language=None)
        if note:
            st.caption(note)
        st.caption(f"Code expires {human_time(session.code_expires_at)} \u00b7 class "
                   f"**{STATUS.get(session.status, session.status)}**")  # fmt: skip


def control_panel(db, session: sessions.ClassSession, caller) -> None:
    from teachback.tutor import published

    cur = published.load_curriculum(db, session.curriculum_id)
    names = {c["id"]: c["name"] for c in cur.concepts if c["id"] in cur.assessable}
    ids = list(names)
    st.subheader("Controls")
    c1, c2, c3 = st.columns(3)
    with c1:
        st.markdown(f"**Cap**: {plain(names.get(session.cap, 'none')) if session.cap else 'none'}")
        cap = st.selectbox("Nobody moves past", ids, format_func=names.get, key="cap_pick",
                           index=ids.index(session.cap) if session.cap in ids else 0)  # fmt: skip
        if st.button("Cap the class here", key="cap_set"):
            _act(lambda: controls.set_cap(db, session.id, caller, cap), "Class capped.")
        if session.cap and st.button("Release the cap", key="cap_release"):
            _act(lambda: controls.set_cap(db, session.id, caller, None), "Cap released.")
    with c2:
        pushed = plain(names.get(session.push, "none")) if session.push else "none"
        st.markdown(f"**Group review**: {pushed}")
        target = st.selectbox("Review together", ids, format_func=names.get, key="push_pick")
        if st.button("Push everyone there", key="push_set"):
            _act(lambda: controls.push(db, session.id, caller, target), "Group review started.")
        if session.push and st.button("End the group review", key="push_release"):
            _act(lambda: controls.push(db, session.id, caller, None), "Group review ended.")
    with c3:
        if session.status == "active":
            if st.button("Pause the class", key="pause"):
                _act(lambda: controls.pause(db, session.id, caller), "Class paused.")
        elif st.button("Resume the class", key="resume"):
            _act(lambda: controls.resume(db, session.id, caller), "Class resumed.")
        if st.button("New join code", key="new_code"):
            _act(lambda: sessions.renew_code(db, session.id, caller), "New join code issued.")
        sure = st.checkbox("I want to end this class", key="end_sure")
        if st.button("End the class", key="end", disabled=not sure):
            _act(lambda: controls.end(db, session.id, caller), "Class ended: report below.")


def render() -> None:
    who = require_instructor()
    st.title("Live class")
    if msg := st.session_state.pop("_class_flash", None):
        st.success(msg)
    db = instructor_db()
    caller = sessions.Caller.instructor(who)
    with st.expander("Start a new class", expanded=not sessions.sessions_of(db, caller)):
        start_form(db, caller)
    session = pick_session(db, caller)
    if session is None:
        return
    if session.open:
        show_code(session)
        control_panel(db, session, caller)
        st.subheader("Live")
        live_dashboard(session.id, caller)
    else:
        st.info(f"This class ended {human_time(session.ended_at)}.")
        show_report(db, session, caller)
