"""Markdown, notebook and learner-mastery exports of a stored curriculum."""

import csv
import io
import json

import nbformat
import pytest

from teachback.curricula import edits
from teachback.curricula.export_markdown import export_markdown
from teachback.curricula.export_notebook import export_notebooks
from teachback.tutor.export_learners import (
    CSV_COLUMNS,
    export_learners,
    mastery_rows,
    xapi_statements,
)


def test_markdown_export_has_units_concepts_lessons_and_hidden_answers(db, course, tmp_path):
    edits.reject_exercise(db, "osmosis-x1", rev=1, who="alice")
    edits.edit_lesson(
        db, course["cell"], "Cells <script>alert(1)</script> and `a<b` stay.", rev=1, who="a"
    )
    path = export_markdown(db, "bio", tmp_path / "out" / "bio.md")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Cell biology\n")
    assert text.index("## Unit 1: Cells") < text.index("### Cell membrane")
    assert text.index("## Unit 2: Transport") < text.index("### Osmosis")
    assert "*Also called:* membrane, plasma membrane" in text
    assert "**Builds on:** Diffusion" in text
    assert "&lt;script&gt;" in text and "<script>" not in text and "`a<b`" in text
    assert text.count("<details><summary>Answer</summary>") == 9  # 10 exercises, 1 rejected
    assert "True or false: Osmosis" not in text
    assert "- Cells (`cells.md`)" in text
    assert "[1] \u201cDiffusion is the movement of particles" in text  # the lesson's citation


def test_notebooks_one_per_unit_with_collapsed_answers(db, course, tmp_path):
    paths = export_notebooks(db, "bio", tmp_path / "nb")
    assert [p.name for p in paths] == ["01-cells.ipynb", "02-transport.ipynb"]
    nb = nbformat.read(str(paths[1]), as_version=4)
    nbformat.validate(nb)
    sources = [c.source for c in nb.cells]
    assert sources[0].startswith("# Transport")
    assert any(s.startswith("## Osmosis") for s in sources)
    answers = [c for c in nb.cells if "answer" in c.metadata.get("tags", [])]
    questions = [c for c in nb.cells if c.source.startswith("### Exercise")]
    assert len(answers) == len(questions) == 6
    assert all(c.metadata["jupyter"]["source_hidden"] for c in answers)
    assert all(c.cell_type == "markdown" for c in nb.cells)  # nothing to execute


def test_a_single_unit_gives_a_single_file(db, course, tmp_path):
    u1, u2 = course["units"]
    db.execute("UPDATE concepts SET unit_id = ? WHERE unit_id = ?", [u1, u2])
    db.execute("DELETE FROM units WHERE id = ?", [u2])
    db.conn.commit()
    (path,) = export_notebooks(db, "bio", tmp_path / "course.ipynb")
    assert path == tmp_path / "course.ipynb"
    assert len(nbformat.read(str(path), as_version=4).cells) == 1 + 5 + 2 * 10


def test_learner_mastery_csv_and_xapi(db, course, tmp_path):
    rows = mastery_rows(db, "bio")
    # ann: 3 attempts on each of 3 concepts; bob: 2 each
    assert [(r["learner_id"], r["concept"], r["attempts"], r["correct"]) for r in rows] == [
        ("ann", "Cell membrane", 3, 2),
        ("ann", "Diffusion", 3, 2),
        ("ann", "Osmosis", 3, 2),
        ("bob", "Cell membrane", 2, 1),
        ("bob", "Diffusion", 2, 1),
        ("bob", "Osmosis", 2, 1),
    ]
    assert all(0.0 <= r["mastery"] <= 1.0 for r in rows)
    path = export_learners(db, "bio", tmp_path / "m.csv")
    parsed = list(csv.DictReader(io.StringIO(path.read_text())))
    assert list(parsed[0]) == CSV_COLUMNS and len(parsed) == 6
    assert parsed[0]["learner_name"] == "Ann"

    statements = xapi_statements(db, "bio")
    assert len(statements) == 6
    s = statements[0]
    assert s["actor"]["account"] == {"homePage": "urn:teachback", "name": "ann"}
    assert s["object"]["id"] == "urn:teachback:concept:bio/membrane"
    assert s["verb"]["display"]["en-US"] in ("mastered", "progressed")
    assert s["result"]["score"]["scaled"] == rows[0]["mastery"]
    assert xapi_statements(db, "bio")[0]["id"] == s["id"]  # stable ids on re-export
    out = export_learners(db, "bio", tmp_path / "x.json", fmt="xapi")
    assert json.loads(out.read_text()) == statements
    with pytest.raises(ValueError, match="unknown learner export format"):
        export_learners(db, "bio", tmp_path / "x.txt", fmt="pdf")


def test_csv_cells_cannot_become_spreadsheet_formulas(db, course, tmp_path):
    db["learners"].update("ann", {"name": "=HYPERLINK(1)"})
    text = export_learners(db, "bio", tmp_path / "m.csv").read_text()
    assert "'=HYPERLINK(1)" in text
