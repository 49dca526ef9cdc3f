"""The instructor's live class: start a session on a published curriculum, show the join code,
cap / push / pause / end, and a dashboard that refreshes itself (``st.fragment(run_every=...)``)
without reloading the page. Ended sessions get their report (CSV and a page with plots).

Pages only parse input, call a function in ``teachback.tutor.classroom`` and show the result.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from teachback.errors import TeachbackError
from teachback.tutor.classroom import address, controls, dashboard, report, sessions
from teachback.ui.instructor.common import instructor_db, plain, require_instructor

REFRESH_SECONDS = 3


def _published(db) -> dict[str, str]:
    rows = db.execute(
        "select id, coalesce(title, id), published_version from curricula "
        "where published_version is not null order by id"
    ).fetchall()
    return {r[0]: f"{r[1]} (v{r[2]})" for r in rows}


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
    options = _published(db)
    if not options:
        st.info("Publish a curriculum first (Instructor \u2192 Review & publish).")
        return
    with st.form("start_class"):
        curriculum = st.selectbox("Curriculum", list(options), format_func=options.get,
                                  key="class_curriculum")  # fmt: skip
        hours = st.number_input("Join code valid for (hours)", 1, 24, 4, key="class_hours")
        if st.form_submit_button("Start a class"):
            from datetime import timedelta

            def go():
                s = sessions.start_session(db, curriculum, caller.id, ttl=timedelta(hours=hours))
                st.session_state["class_session"] = s.id

            _act(go, "Class started: share the code below.")


def pick_session(db, caller) -> sessions.ClassSession | None:
    mine = sessions.sessions_of(db, caller)
    if not mine:
        return None
    labels = {s.id: f"{s.id} \u00b7 {s.curriculum_id} \u00b7 {s.status} \u00b7 {s.created_at[:16]}"
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
        st.caption(f"Code valid until {session.code_expires_at} UTC \u00b7 status "
                   f"**{session.status}**")  # fmt: skip


def control_panel(db, session: sessions.ClassSession, caller) -> None:
    from teachback.tutor import session_model

    cur = session_model.load_curriculum(db, session.curriculum_id)
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


def show_dashboard(db, session_id: str, caller) -> None:
    view = dashboard.class_view(db, session_id, caller)
    members = view["members"]
    names = {m["learner_id"]: m["display_name"] for m in members}
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Learners", len(members))
    m2.metric("Active (5 min)", len(view["active"]))
    m3.metric("Stuck", len(view["stuck"]))
    m4.metric("Answers", view["attempts"])
    if not members:
        st.info("Nobody has joined yet: share the code.")
        return
    st.markdown("**Mastery: learner \u00d7 concept**")
    cells = pd.DataFrame(view["heatmap"])
    if not cells.empty:
        order = [c["name"] for c in view["concepts"] if c["name"] in set(cells["concept"])]
        chart = (
            alt.Chart(cells)
            .mark_rect()
            .encode(
                x=alt.X("concept:N", sort=order, title=None),
                y=alt.Y("learner:N", title=None),
                color=alt.Color("mastery:Q", scale=alt.Scale(domain=[0, 1], scheme="blues")),
                tooltip=["learner", "concept", "mastery"],
            )
        )
        st.altair_chart(chart, use_container_width=True)
    left, right = st.columns(2)
    with left:
        st.markdown("**Where everyone is**")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "learner": names[lid],
                        "concept": p["concept"] or "(not started)",
                        "mastered": view["pace"]["mastered"].get(lid, 0),
                    }
                    for lid, p in view["positions"].items()
                ]  # fmt: skip
            ),
            hide_index=True,
            key="positions_table",
        )
        pace = view["pace"]
        st.markdown(f"**Pace spread**: concepts mastered min {pace['min']}, median "
                    f"{pace['median']}, max {pace['max']} (of {view['assessable']})")  # fmt: skip
        if pace["histogram"]:
            st.bar_chart(pd.DataFrame(pace["histogram"]), x="mastered", y="learners", height=180)
    with right:
        st.markdown("**Stuck**")
        if not view["stuck"]:
            st.caption("Nobody is stuck.")
        for row in view["stuck"]:
            with st.expander(f"{row['learner']} \u2014 {row['why']}"):
                for w in row["wrong"]:
                    st.markdown(f"- {plain(w['prompt'][:140])} \u2192 *{plain(w['answer'][:80])}*")
        st.markdown("**Most missed questions**")
        if view["most_missed"]:
            st.dataframe(pd.DataFrame([{"question": r["prompt"][:120], "misses": r["misses"],
                                        "of": r["attempts"], "learners": r["learners"]}
                                       for r in view["most_missed"]]),
                         hide_index=True, key="missed_table")  # fmt: skip
        st.markdown("**Wrong answers given most often**")
        if view["misconceptions"]:
            st.dataframe(pd.DataFrame([{"question": r["prompt"][:100], "answer": r["answer"],
                                        "times": r["count"], "learners": r["learners"]}
                                       for r in view["misconceptions"]]),
                         hide_index=True, key="wrong_table")  # fmt: skip
        else:
            st.caption("No wrong answer was given twice yet.")
    st.caption(f"Updated {view['now'].strftime('%H:%M:%S')} UTC \u00b7 refreshes every "
               f"{REFRESH_SECONDS} s")  # fmt: skip


@st.fragment(run_every=REFRESH_SECONDS)
def live_dashboard(session_id: str, caller) -> None:
    show_dashboard(instructor_db(), session_id, caller)


def show_report(db, session: sessions.ClassSession, caller) -> None:
    rep = report.session_report(db, session.id, caller)
    st.subheader("Class report")
    view = rep["view"]
    st.markdown(f"{len(view['members'])} learners, {view['attempts']} answers.")
    if rep["learners"]:
        st.bar_chart(pd.DataFrame(rep["learners"]), x="learner", y="mastered", height=220)
        st.dataframe(pd.DataFrame(rep["learners"]), hide_index=True, key="report_table")
    if rep["concepts"]:
        st.bar_chart(pd.DataFrame(rep["concepts"]), x="concept", y="mean_mastery", height=220)
    c1, c2 = st.columns(2)
    c1.download_button("Download CSV", rep["csv"], f"class-{session.id}.csv", "text/csv",
                       key="report_csv")  # fmt: skip
    c2.download_button("Download report page", rep["html"], f"class-{session.id}.html",
                       "text/html", key="report_html")  # fmt: skip


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
        st.info(f"Class {session.id} ended at {session.ended_at} UTC.")
        show_report(db, session, caller)
