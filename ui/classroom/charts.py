"""The classroom's charts as Altair (Vega-Lite) specs: every chart has a title, named axes
and a fixed 0-100 % mastery scale, so an empty class reads "0 %" rather than a bare axis.

Functions take the plain rows of ``tutor.classroom.dashboard`` and return ``alt.Chart``
objects (tested through ``chart.to_dict()``); pages only pass them to ``st.altair_chart``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

ROW_PX = 26  # one learner or concept per row: labels stay legible at 30+ rows
MASTERY_SCALE = alt.Scale(domain=[0, 1], scheme="blues")


def _height(rows: int) -> alt.Step:
    # A fixed height per row (a Vega-Lite step), not a total: Streamlit fits the chart's width to
    # the page and a total height would also have to hold the axes, squashing a short class.
    return alt.Step(ROW_PX)


def _label(text: str, width: int = 28) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def mastery_heatmap(cells: list[dict], *, x: str, x_order: list[str], y_order: list[str],
                    title: str, x_title: str) -> alt.Chart:  # fmt: skip
    """Learner (rows, in ``y_order``) x ``x`` (unit or concept, in ``x_order``) coloured by
    mean P(known), 0-100 %."""
    frame = pd.DataFrame(cells)
    frame["label"] = frame[x].map(_label)
    labels = list(dict.fromkeys(_label(v) for v in x_order))
    tooltip = [alt.Tooltip("learner:N", title="Learner"), alt.Tooltip(f"{x}:N", title=x_title),
               alt.Tooltip("mastery:Q", title="Mastery", format=".0%")]  # fmt: skip
    if "mastered" in frame and "concepts" in frame:
        tooltip.append(alt.Tooltip("mastered:Q", title="Concepts mastered"))
        tooltip.append(alt.Tooltip("concepts:Q", title="Concepts in unit"))
    return (
        alt.Chart(frame, title=title)
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                "label:N",
                sort=labels,
                title=x_title,
                axis=alt.Axis(labelAngle=-35, labelLimit=180, orient="top"),
            ),
            y=alt.Y("learner:N", sort=y_order, title="Learner", axis=alt.Axis(labelLimit=160)),
            color=alt.Color(
                "mastery:Q",
                scale=MASTERY_SCALE,
                legend=alt.Legend(
                    title="Mastery", format=".0%", orient="bottom", direction="horizontal"
                ),
            ),
            tooltip=tooltip,
        )  # fmt: skip
        .properties(height=_height(len(y_order)))
    )


def pace_chart(rows: list[dict], assessable: int) -> alt.Chart:
    """Per learner: concepts mastered (bar) and how far into the course they have reached
    (tick), on one axis from 0 to the number of assessable concepts."""
    frame = pd.DataFrame(rows)
    order = [r["learner"] for r in rows]
    axis = alt.Scale(domain=[0, max(assessable, 1)])
    y = alt.Y("learner:N", sort=order, title="Learner", axis=alt.Axis(labelLimit=160))
    bars = alt.Chart(frame).mark_bar(color="#4c78a8").encode(
        x=alt.X("mastered:Q", scale=axis, title=f"Concepts (of {assessable})"),
        y=y,
        tooltip=[alt.Tooltip("learner:N", title="Learner"),
                 alt.Tooltip("mastered:Q", title="Concepts mastered"),
                 alt.Tooltip("reached:Q", title="Reached concept no.")],
    )  # fmt: skip
    reached = (
        alt.Chart(frame)
        .mark_tick(color="#e45756", thickness=3)
        .encode(x=alt.X("reached:Q", scale=axis), y=y)
    )
    return (
        alt.layer(bars, reached, title=alt.Title(
            "Pace: concepts mastered (bars) and furthest concept reached (red marks)"))
        .properties(height=_height(len(rows)))
    )  # fmt: skip


def bars(
    rows: list[dict],
    *,
    label: str,
    value: str,
    title: str,
    label_title: str,
    value_title: str,
    percent: bool = False,
    domain_max: float | None = None,
) -> alt.Chart:
    """Horizontal bars, one per row in the given order, with a named value axis (0 to
    ``domain_max``; percentages for P(known) and accuracy)."""
    # Only the drawn columns: a row's other fields (a report's "accuracy" is "" for a learner
    # who never answered) would make the chart's data fail Arrow's typed conversion.
    frame = pd.DataFrame(rows, columns=[label, value])
    frame["_label"] = frame[label].map(lambda v: _label(v, 40))
    order = list(dict.fromkeys(frame["_label"]))
    fmt = ".0%" if percent else "d"
    top = domain_max if domain_max is not None else (1 if percent else None)
    scale = alt.Scale(domain=[0, top]) if top is not None else alt.Undefined
    return (
        alt.Chart(frame, title=title)
        .mark_bar(color="#4c78a8")
        .encode(
            x=alt.X(f"{value}:Q", title=value_title, scale=scale, axis=alt.Axis(format=fmt)),
            y=alt.Y("_label:N", sort=order, title=label_title, axis=alt.Axis(labelLimit=240)),
            tooltip=[
                alt.Tooltip(f"{label}:N", title=label_title),
                alt.Tooltip(f"{value}:Q", title=value_title, format=fmt),
            ],
        )  # fmt: skip
        .properties(height=_height(len(rows)))
    )
