"""The Progress page: the concept map coloured by mastery, mastery over time, due reviews."""

from __future__ import annotations

import streamlit as st

from teachback.errors import TeachbackError
from teachback.tutor.progress import progress_data, timeline_table
from teachback.ui import common, concept_map
from teachback.ui.humanize import human_time
from teachback.ui.learner import require_learner


def due_rows(due: list[dict]) -> list[dict]:
    """Due reviews as people read them: the concept, since when, the chance of recalling it."""
    return [
        {
            "Concept": d["concept"],
            "Due": human_time(d["due"]) or "now",
            "Chance you still recall it": f"{round(100 * float(d['recall']))}%",
        }
        for d in due
    ]


def render() -> None:
    st.title("Progress")
    who = require_learner()
    try:
        data = progress_data(common.get_db(), who.id, who.curriculum)
    except TeachbackError as err:
        st.error(str(err))
        st.stop()
    summary = data["summary"]
    readable = any(c["status"] in ("read", "unpractised") for c in data["map"]["concepts"])
    columns = st.columns(4 if readable else 3)
    columns[0].metric("Concepts mastered", f"{summary['mastered']}/{summary['total']}")
    if readable:  # concepts with nothing to practise are finished by reading their lesson
        columns[-3].metric("Lessons read", summary["read"])
    columns[-2].metric("Answers given", len(data["timeline"]))
    columns[-1].metric("Due for review", len(data["due"]))
    st.progress(summary["share"], text=f"{round(100 * summary['share'])}% of the curriculum")

    st.subheader("Concept map")
    concept_map.render(data["map"])

    st.subheader("Mastery over time")
    if data["timeline"]:
        table = timeline_table(data["timeline"])
        st.line_chart(table, x="answer", y=[k for k in table if k != "answer"], height=260)
        st.caption("Chance you know each concept after each answer (Bayesian Knowledge Tracing).")
        last = data["timeline"][-1].get("at")
        if human_time(last):
            st.caption(f"Last answer: {human_time(last)}")
    else:
        st.info("Answer a few questions on the Learn page and your mastery appears here.")

    st.subheader("Due for review")
    if data["due"]:
        st.dataframe(due_rows(data["due"]), hide_index=True, width="stretch")
    else:
        st.caption("Nothing is due right now.")
