"""The Progress page: the concept graph coloured by mastery, mastery over time, due reviews."""

from __future__ import annotations

import streamlit as st

from teachback.errors import TeachbackError
from teachback.tutor.progress import progress_data, timeline_table
from teachback.ui import common


def render() -> None:
    st.title("Progress")
    who = common.require_learner()
    try:
        data = progress_data(common.get_db(), who.id, who.curriculum)
    except TeachbackError as err:
        st.error(str(err))
        st.stop()
    summary = data["summary"]
    left, middle, right = st.columns(3)
    left.metric("Concepts mastered", f"{summary['mastered']}/{summary['total']}")
    middle.metric("Answers given", len(data["timeline"]))
    right.metric("Due for review", len(data["due"]))
    st.progress(summary["share"], text=f"{round(100 * summary['share'])}% of the curriculum")

    st.subheader("Concept map")
    st.caption("Green: mastered \u00b7 amber: on the way \u00b7 grey: not yet \u00b7 red: due")
    st.graphviz_chart(data["dot"], width="stretch")

    st.subheader("Mastery over time")
    if data["timeline"]:
        table = timeline_table(data["timeline"])
        st.line_chart(table, x="answer", y=[k for k in table if k != "answer"], height=260)
        st.caption("Chance you know each concept after each answer (Bayesian Knowledge Tracing).")
    else:
        st.info("Answer a few questions on the Learn page and your mastery appears here.")

    st.subheader("Due for review")
    if data["due"]:
        st.dataframe(data["due"], hide_index=True, width="stretch")
    else:
        st.caption("Nothing is due right now.")

    with st.expander("Every concept"):
        st.dataframe(data["concepts"], hide_index=True, width="stretch")
