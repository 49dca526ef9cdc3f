"""What the instructor watches in a live class: the dashboard that refreshes itself
(``st.fragment(run_every=...)``: overview, by unit, by learner, questions), and the report of an
ended class (CSV and plots). The numbers come from ``teachback.tutor.classroom``."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from teachback.core.text import plain_text
from teachback.tutor.classroom import dashboard, report, sessions
from teachback.tutor.classroom.units import unit_cells
from teachback.ui.classroom import charts
from teachback.ui.humanize import human_time
from teachback.ui.instructor.common import instructor_db, plain

REFRESH_SECONDS = 3
PERCENT = st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0)


def _learners_table(rows: list[dict], assessable: int, now, key: str) -> None:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Learner": r["learner"],
                    "Needs help": r["trouble"],
                    "Wrong in a row": r["misses_in_a_row"],
                    "Recent accuracy": r["accuracy"],
                    "Mastered": f"{r['mastered']} of {assessable}",
                    "Answers": r["answers"],
                    "Last answer": human_time(now - timedelta(seconds=r["idle_seconds"]), now=now)
                    if r["answers"] and r["idle_seconds"] is not None
                    else "not yet",
                }
                for r in rows
            ]
        ),
        hide_index=True,
        key=key,
        column_config={"Needs help": PERCENT, "Recent accuracy": PERCENT},
    )


def _concepts_table(rows: list[dict], learners: int, key: str) -> None:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Concept": r["concept"],
                    "Unit": r["unit"],
                    "Wrong answers": r["misses"],
                    "Answers": r["answers"],
                    "Class mastery": r["mastery"],
                    "Mastered by": f"{r['mastered_by']} of {learners}",
                }
                for r in rows
            ]
        ),
        hide_index=True,
        key=key,
        column_config={"Class mastery": PERCENT},
    )


def _overview(view: dict) -> None:
    learners = view["learners"]
    order = [r["learner"] for r in learners]
    units = [u["unit"] for u in view["unit_trouble"]]
    if view["unit_heatmap"]:
        st.altair_chart(
            charts.mastery_heatmap(view["unit_heatmap"], x="unit", x_order=units, y_order=order,
                                   title="Mastery by unit (learners who need help first)",
                                   x_title="Unit"),
            width="stretch",
        )  # fmt: skip
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**Who needs help first**")
        _learners_table(learners, view["assessable"], view["now"], "trouble_table")
    with right:
        st.markdown("**Stuck**")
        if not view["stuck"]:
            st.caption("Nobody is stuck.")
        for row in view["stuck"]:
            with st.expander(f"{row['learner']} \u2014 {row['why']}"):
                for w in row["wrong"]:
                    st.markdown(f"- {plain(plain_text(w['prompt'], 140))} \u2192 "
                                f"*{plain(w['answer'][:80])}*")  # fmt: skip
    if view["learner_pace"]:
        st.altair_chart(charts.pace_chart(view["learner_pace"], view["assessable"]),
                        width="stretch")  # fmt: skip
        pace = view["pace"]
        st.caption(
            f"Concepts mastered per learner: fewest {pace['min']}, median {pace['median']:g}, "
            f"most {pace['max']} (of {view['assessable']})."
        )


def _by_unit(view: dict) -> None:
    rows = view["unit_trouble"]
    if not rows:
        st.caption("No answers yet.")
        return
    st.dataframe(
        pd.DataFrame([{"Unit": r["unit"], "Concepts": r["concepts"], "Wrong answers": r["misses"],
                       "Answers": r["answers"], "Class mastery": r["mastery"]} for r in rows]),
        hide_index=True, key="units_table", column_config={"Class mastery": PERCENT},
    )  # fmt: skip
    # The unit with the most wrong answers first: the one a teacher most likely opens.
    ids = [r["unit_id"] for r in sorted(rows, key=lambda r: (-r["misses"], r["mastery"]))]
    titles = {r["unit_id"]: f"{r['unit']} ({r['concepts']} concepts)" for r in rows}
    unit = st.selectbox("Look closer at a unit", ids, format_func=titles.get, key="drill_unit")
    cells = unit_cells(view["heatmap"], view["concepts"], unit)
    if cells:
        names = [c["name"] for c in view["concepts"] if c.get("unit_id") == unit]
        st.altair_chart(
            charts.mastery_heatmap(cells, x="concept", x_order=names,
                                   y_order=[r["learner"] for r in view["learners"]],
                                   title=f"Mastery in {titles[unit]}", x_title="Concept"),
            width="stretch",
        )  # fmt: skip
    mine = [r for r in view["concept_trouble"] if r["unit_id"] == unit]
    st.markdown("**Its concepts, hardest first**")
    _concepts_table(mine, len(view["members"]), "unit_concepts_table")


def _by_learner(view: dict) -> None:
    learners = view["learners"]
    names = {r["learner_id"]: r["learner"] for r in learners}
    lid = st.selectbox("Look closer at a learner (who needs help first)", list(names),
                       format_func=names.get, key="drill_learner")  # fmt: skip
    row = next(r for r in learners if r["learner_id"] == lid)
    where = view["positions"][lid]["concept"] or "not started"
    st.markdown(f"**{plain(row['learner'])}** \u00b7 working on {plain(where)} \u00b7 "
                f"{row['mastered']} of {view['assessable']} concepts mastered \u00b7 "
                f"{row['answers']} answers")  # fmt: skip
    units = [r for r in view["unit_heatmap"] if r["learner_id"] == lid]
    if units:
        st.altair_chart(
            charts.bars(units, label="unit", value="mastery", title="Mastery by unit",
                        label_title="Unit", value_title="Mean mastery", percent=True),
            width="stretch",
        )  # fmt: skip
    wrong = next((r["wrong"] for r in view["stuck"] if r["learner_id"] == lid), None)
    if wrong:
        st.markdown("**Recent wrong answers**")
        for w in wrong:
            st.markdown(f"- {plain(plain_text(w['prompt'], 140))} \u2192 "
                        f"*{plain(w['answer'][:80])}*")  # fmt: skip


def _questions(view: dict) -> None:
    st.markdown("**Concepts the class finds hardest**")
    _concepts_table(view["concept_trouble"][:15], len(view["members"]), "concept_trouble_table")
    st.markdown("**Most missed questions**")
    if view["most_missed"]:
        st.dataframe(pd.DataFrame([{"Question": plain_text(r["prompt"], 160),
                                    "Wrong answers": r["misses"], "Answers": r["attempts"],
                                    "Learners": r["learners"]}
                                   for r in view["most_missed"]]),
                     hide_index=True, key="missed_table")  # fmt: skip
    else:
        st.caption("No wrong answers yet.")
    st.markdown("**Wrong answers given most often**")
    if view["misconceptions"]:
        st.dataframe(pd.DataFrame([{"Question": plain_text(r["prompt"], 120),
                                    "Answer given": r["answer"], "Times": r["count"],
                                    "Learners": r["learners"]}
                                   for r in view["misconceptions"]]),
                     hide_index=True, key="wrong_table")  # fmt: skip
    else:
        st.caption("No wrong answer was given twice yet.")


def show_dashboard(db, session_id: str, caller) -> None:
    view = dashboard.class_view(db, session_id, caller)
    members = view["members"]
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Learners", len(members))
    m2.metric("Active (5 min)", len(view["active"]))
    m3.metric("Stuck", len(view["stuck"]))
    m4.metric("Answers", view["attempts"])
    if not members:
        st.info("Nobody has joined yet: share the code.")
        return
    overview, units, learner, questions = st.tabs(
        ["Overview", "By unit", "By learner", "Questions"]
    )
    with overview:
        _overview(view)
    with units:
        _by_unit(view)
    with learner:
        _by_learner(view)
    with questions:
        _questions(view)
    st.caption(f"Updated {view['now'].strftime('%H:%M:%S')} UTC \u00b7 refreshes every "
               f"{REFRESH_SECONDS} s")  # fmt: skip


@st.fragment(run_every=REFRESH_SECONDS)
def live_dashboard(session_id: str, caller) -> None:
    show_dashboard(instructor_db(), session_id, caller)


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def show_report(db, session: sessions.ClassSession, caller) -> None:
    rep = report.session_report(db, session.id, caller)
    view = rep["view"]
    total = view["assessable"]
    st.subheader("Class report")
    people, answers = len(view["members"]), view["attempts"]
    st.markdown(f"{people} learner{'s' * (people != 1)}, {answers} answer{'s' * (answers != 1)}.")
    if rep["learners"]:
        ranked = sorted(rep["learners"], key=lambda r: (-r["mastered"], r["learner"].casefold()))
        st.altair_chart(
            charts.bars(ranked, label="learner", value="mastered",
                        title="Concepts mastered per learner", label_title="Learner",
                        value_title=f"Concepts mastered (of {total})", domain_max=max(total, 1)),
            width="stretch",
        )  # fmt: skip
        st.dataframe(
            pd.DataFrame([{"Learner": r["learner"], "Answers": r["answers"],
                           "Right": r["correct"], "Accuracy": _number(r["accuracy"]),
                           "Mastered": f"{r['mastered']} of {r['of']}",
                           "Ended on": r["position"] or "not started",
                           "Joined": human_time(r["joined"])} for r in ranked]),
            hide_index=True, key="report_table", column_config={"Accuracy": PERCENT},
        )  # fmt: skip
    if view["unit_trouble"]:
        st.altair_chart(
            charts.bars(view["unit_trouble"], label="unit", value="mastery",
                        title="Class mastery by unit (mean over its concepts)", label_title="Unit",
                        value_title="Mean mastery", percent=True),
            width="stretch",
        )  # fmt: skip
        st.markdown("**Concepts the class found hardest**")
        _concepts_table(view["concept_trouble"][:15], people, "report_concepts")
    c1, c2 = st.columns(2)
    # Each file is made once here and downloaded without a rerun, so a second click never
    # cancels the first download.
    c1.download_button("Download CSV", rep["csv"], f"class-{session.id}.csv", "text/csv",
                       key="report_csv", on_click="ignore")  # fmt: skip
    c2.download_button("Download report page", rep["html"], f"class-{session.id}.html",
                       "text/html", key="report_html", on_click="ignore")  # fmt: skip
