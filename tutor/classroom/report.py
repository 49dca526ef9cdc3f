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
from datetime import UTC, datetime

from teachback.core.text import plain_text
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


def _when(text: str | None) -> str:
    """A stored time as a date a reader of a saved page understands: ``6 Dec 2026, 21:05 UTC``."""
    if not text:
        return ""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return ""
    moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def report_html(view: dict, learners: list[dict], concepts: list[dict]) -> str:
    """A self-contained page: totals, learners, units, concepts, most-missed and misconceptions.
    Bars for learners and units (a course of 110 concepts is 8 unit bars, not 110); each
    concept in a table, hardest first. Questions are shown as plain text, not Markdown."""
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

    def pct(value) -> str:
        return f"{round(100 * value)}%" if isinstance(value, int | float) else ""

    people = [{"learner": r["learner"], "answers": r["answers"], "right": r["correct"],
               "accuracy": pct(r["accuracy"]), "mastered": f"{r['mastered']} of {r['of']}",
               "ended on": r["position"] or "not started", "joined": _when(r["joined"])}
              for r in learners]  # fmt: skip
    hardest = [{"concept": r["concept"], "unit": r["unit"], "wrong answers": r["misses"],
                "answers": r["answers"], "class mastery": pct(r["mastery"]),
                "mastered by": f"{r['mastered_by']} of {len(view['members'])}"}
               for r in view.get("concept_trouble", [])]  # fmt: skip
    missed = [{"question": plain_text(r["prompt"], 120), "wrong answers": r["misses"],
               "answers": r["attempts"]} for r in view["most_missed"]]  # fmt: skip
    wrong = [{"question": plain_text(r["prompt"], 100), "answer given": r["answer"],
              "times": r["count"], "learners": r["learners"]}
             for r in view["misconceptions"]]  # fmt: skip
    ranked = sorted(learners, key=lambda r: -r["mastered"])
    units = view.get("unit_trouble", [])
    pace = view["pace"]
    title = view.get("title") or s.curriculum_id
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>Class report: {e(title)}</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px;font-size:13px}}
</style></head><body>
<h1>Class report: {e(title)}</h1>
<p>Instructor {e(s.instructor)} &middot; started {e(_when(s.created_at))} &middot; {e(s.status)}
{f"&middot; ended {e(_when(s.ended_at))}" if s.ended_at else ""}</p>
<p>{len(view["members"])} learners, {view["attempts"]} answers. Concepts mastered per learner:
fewest {pace["min"]}, median {pace["median"]:g}, most {pace["max"]} (of {view["assessable"]}).</p>
<h2>Concepts mastered per learner (of {view["assessable"]})</h2>
{svg_bars([(r["learner"], r["mastered"]) for r in ranked], max_value=view["assessable"] or 1)}
<h2>Class mastery by unit (mean over its concepts)</h2>
{svg_bars([(r["unit"], round(100 * r["mastery"])) for r in units], max_value=100, unit="%")}
<h2>Learners</h2>{table(people)}
<h2>Concepts, hardest first</h2>{table(hardest)}
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
