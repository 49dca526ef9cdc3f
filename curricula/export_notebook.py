"""Export a curriculum as Jupyter notebooks (nbformat 4), one per unit, for self-paced learners.

Each notebook: a title cell, then per concept a Markdown cell with its definition and lesson,
then per exercise a Markdown cell with the question and a separate answer cell that is
collapsed (``jupyter.source_hidden``, tagged ``answer``), so a learner can try before looking.
No code cells are created and nothing is executed. Rejected exercises are left out.

``export_notebooks(db, curriculum, path)`` writes one ``.ipynb`` per unit into the folder
``path``; with a single unit it writes one file (``path`` itself when it ends in ``.ipynb``).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook
from sqlite_utils import Database

from teachback.curricula.export_markdown import (
    answer_text,
    citations_markdown,
    curriculum_data,
    grouped,
    lesson_figures,
    one_line,
    safe_markdown,
)


def _answer_cell(x: dict) -> nbformat.NotebookNode:
    text = f"**Answer:** {one_line(answer_text(x.get('answer')))}"
    if x.get("explanation"):
        text += f"\n\n{one_line(x['explanation'])}"
    cell = new_markdown_cell(text)
    cell.metadata["jupyter"] = {"source_hidden": True}
    cell.metadata["collapsed"] = True
    cell.metadata["tags"] = ["answer", "hide-input"]
    return cell


def unit_notebook(data: dict, title: str, members: list[dict]) -> nbformat.NotebookNode:
    lessons = {lesson["concept"]: lesson for lesson in data["lessons"]}
    exercises: dict[str, list[dict]] = {}
    for x in data["exercises"]:
        exercises.setdefault(x["concept"], []).append(x)
    course = data["curriculum"].get("title") or data["curriculum"]["id"]
    source_names = {s["id"]: s.get("title") or s["path"] for s in data["sources"]}
    nb = new_notebook()
    nb.metadata["teachback"] = {"curriculum": data["curriculum"]["id"], "unit": title}
    nb.cells.append(
        new_markdown_cell(
            f"# {one_line(title)}\n\n*{one_line(course)}* — concepts: "
            + ", ".join(one_line(c["name"]) for c in members)
            + "\n\nAnswers are in collapsed cells under each question: try first, then expand."
        )
    )
    for c in members:
        text = f"## {one_line(c['name'])}\n\n"
        if c.get("definition"):
            text += f"> {one_line(c['definition'])}\n\n"
        if c["id"] in lessons:
            # a stored figure cannot be linked from a notebook file: its caption stands in
            text += safe_markdown(lesson_figures(lessons[c["id"]]["text"], {})).strip() + "\n\n"
            text += "\n".join(citations_markdown(lessons[c["id"]]["citations"], source_names))
        nb.cells.append(new_markdown_cell(text.strip()))
        for n, x in enumerate(exercises.get(c["id"], []), 1):
            q = f"### Exercise {n} ({x['kind'].replace('_', ' ')})\n\n{one_line(x['prompt'])}"
            if x.get("choices"):
                q += "\n\n" + "\n".join(f"- {one_line(ch)}" for ch in x["choices"])
            nb.cells.append(new_markdown_cell(q))
            nb.cells.append(_answer_cell(x))
    nbformat.validate(nb)
    return nb


def _file_name(i: int, title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "unit"
    return f"{i:02d}-{slug}.ipynb"


def export_notebooks(
    db: Database, curriculum: str, path: str | Path, *, version: int | None = None
) -> list[Path]:
    """Write the notebooks; returns their paths (see the module docstring for ``path``)."""
    data = curriculum_data(db, curriculum, version)
    units = grouped(data)
    path = Path(path)
    if len(units) == 1 and path.suffix == ".ipynb":
        targets = [path]
    else:
        folder = path.with_suffix("") if path.suffix == ".ipynb" else path
        targets = [folder / _file_name(i, t) for i, (t, _m) in enumerate(units, 1)]
    written = []
    for target, (title, members) in zip(targets, units, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(unit_notebook(data, title, members), str(target))
        written.append(target)
    return written
