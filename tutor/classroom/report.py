"""The end-of-session summary: one row per learner (CSV) and a readable HTML page with plots.

Built from ``dashboard.class_view`` (so only the session's instructor can make it). The plots
are plain inline SVG bars drawn here (no plotting dependency); every name and answer in the
page goes through ``html.escape``, and every CSV cell through ``neutralise.spreadsheet_cell``
(a name typed as ``=HYPERLINK(...)`` stays text), since display names and answers are typed by
learners.
"""

from __future__ import annotations

import csv
import html
import io
from collections import defaultdict

from teachback.neutralise import spreadsheet_cell
from teachback.tutor.classroom.dashboard import class_view

CSV_FIELDS = ["learner", "answers", "correct", "accuracy", "mastered", "of", "position", "joined"]


def learner_rows(view: dict, attempts: list[dict]) -> list[dict]:
    """Per learner: answers, right answers, accuracy, concepts mastered, where they ended."""
    per: dict[str, list[dict]] = defaultdict(list)
    for a in attempts:
        per[a["learner_id"]].append(a)
    rows = []
    for m in view["members"]:
        mine = per.get(m["learner_id"], [])
        right = sum(1 for a in mine if a["correct"])
        rows.append(
            {
                "learner": m["display_name"],
                "answers": len(mine),
                "correct": right,
                "accuracy": round(right / len(mine), 3) if mine else "",
                "mastered": view["pace"]["mastered"].get(m["learner_id"], 0),
                "of": view["assessable"],
                "position": view["positions"][m["learner_id"]]["concept"],
                "joined": m["joined_at"],
            }
        )
    return rows


def concept_rows(view: dict) -> list[dict]:
    """Per concept (teaching order): the class's mean P(known) and how many mastered it."""
    cells: dict[str, list[float]] = defaultdict(list)
    names = {}
    for cell in view["heatmap"]:
        cells[cell["concept_id"]].append(cell["mastery"])
        names[cell["concept_id"]] = cell["concept"]
    return [
        {
            "concept": names[c["id"]],
            "mean_mastery": round(sum(cells[c["id"]]) / len(cells[c["id"]]), 3),
            "mastered_by": sum(1 for p in cells[c["id"]] if p >= view["threshold"]),
        }
        for c in view["concepts"]
        if c["id"] in cells
    ]


def to_csv(rows: list[dict], fields: list[str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields or list(rows[0] if rows else CSV_FIELDS))
    writer.writeheader()
    writer.writerows({k: spreadsheet_cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


def svg_bars(items: list[tuple[str, float]], *, max_value: float | None = None,
             width: int = 640, unit: str = "") -> str:  # fmt: skip
    """A horizontal bar chart as inline SVG: ``[(label, value), ...]``."""
    if not items:
        return "<p><em>nothing to plot</em></p>"
    top = max_value or max(v for _, v in items) or 1
    bar_h, label_w = 18, 220
    height = bar_h * len(items) + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'role="img">']  # fmt: skip
    for i, (label, value) in enumerate(items):
        y = i * bar_h + 2
        w = max(0.0, (width - label_w - 60) * value / top)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="12">'
            f"{html.escape(str(label)[:34])}</text>"
            f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{bar_h - 5}" '
            f'fill="#4c78a8"/><text x="{label_w + w + 4:.1f}" y="{y + 13}" font-size="12">'
            f"{html.escape(f'{value:g}{unit}')}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def report_html(view: dict, learners: list[dict], concepts: list[dict]) -> str:
    """A self-contained page: totals, learners, concepts, most-missed and misconceptions."""
    s = view["session"]
    e = html.escape

    def table(rows: list[dict]) -> str:
        if not rows:
            return "<p><em>none</em></p>"
        head = "".join(f"<th>{e(k)}</th>" for k in rows[0])
        body = "".join(
            "<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in r.values()) + "</tr>" for r in rows
        )
        return f"<table><tr>{head}</tr>{body}</table>"

    missed = [{"question": r["prompt"][:120], "misses": r["misses"], "of": r["attempts"]}
              for r in view["most_missed"]]  # fmt: skip
    wrong = [{"question": r["prompt"][:100], "answer given": r["answer"], "times": r["count"],
              "learners": r["learners"]} for r in view["misconceptions"]]  # fmt: skip
    pace = view["pace"]
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>Class {e(s.id)} report</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px;font-size:13px}}
</style></head><body>
<h1>Class report: {e(s.curriculum_id)} (session {e(s.id)})</h1>
<p>Instructor {e(s.instructor)} &middot; started {e(s.created_at)} &middot; status {e(s.status)}
{f"&middot; ended {e(s.ended_at)}" if s.ended_at else ""}</p>
<p>{len(view["members"])} learners, {view["attempts"]} answers. Concepts mastered per learner:
min {pace["min"]}, median {pace["median"]}, max {pace["max"]} (of {view["assessable"]}).</p>
<h2>Concepts mastered per learner</h2>
{svg_bars([(r["learner"], r["mastered"]) for r in learners], max_value=view["assessable"] or 1)}
<h2>Class mastery by concept (mean P(known))</h2>
{svg_bars([(r["concept"], r["mean_mastery"]) for r in concepts], max_value=1.0)}
<h2>Learners</h2>{table(learners)}
<h2>Most missed questions</h2>{table(missed)}
<h2>Wrong answers given most often</h2>{table(wrong)}
</body></html>"""


def session_report(db, session_id: str, caller) -> dict:
    """``{"view", "learners", "concepts", "csv", "html"}`` for the session (instructor only)."""
    from teachback.tutor.classroom.sessions import class_attempts

    view = class_view(db, session_id, caller)
    attempts = class_attempts(db, session_id, caller)
    learners = learner_rows(view, attempts)
    concepts = concept_rows(view)
    return {
        "view": view,
        "learners": learners,
        "concepts": concepts,
        "csv": to_csv(learners, CSV_FIELDS),
        "html": report_html(view, learners, concepts),
    }
