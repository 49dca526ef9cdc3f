"""Exports: the curriculum as JSON, Markdown and notebooks; learners' mastery as CSV and xAPI;
and importing a JSON export into this database."""

from __future__ import annotations

import functools
import io
import json
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from teachback.config import default_db_path
from teachback.errors import TeachbackError
from teachback.ui.instructor.common import (
    instructor_db,
    may_change,
    pick_curriculum,
    require_instructor,
)


def notebooks_zip(db, curriculum: str) -> bytes:
    from teachback.curricula.export_notebook import export_notebooks

    with tempfile.TemporaryDirectory() as tmp:
        paths = export_notebooks(db, curriculum, Path(tmp) / curriculum)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in paths:
                zf.write(p, arcname=p.name)
    return buf.getvalue()


def _export(kind: str, db_path: str, curriculum: str, who: str):
    """One export file, made when its button is pressed (``download_button`` runs this on its
    own thread, hence a connection of its own)."""
    from teachback.curricula.db import open_db
    from teachback.curricula.export_json import dumps, export_curriculum
    from teachback.curricula.export_markdown import curriculum_data, render_markdown
    from teachback.tutor.export_learners import mastery_csv, xapi_statements

    db = open_db(db_path)
    try:
        if kind == "json":
            return dumps(export_curriculum(db, curriculum, include_images=True))
        if kind == "md":
            return render_markdown(curriculum_data(db, curriculum))
        if kind == "notebooks":
            return notebooks_zip(db, curriculum)
        if kind == "csv":
            return mastery_csv(db, curriculum, who=who)
        statements = xapi_statements(db, curriculum, who=who)
        return json.dumps(statements, ensure_ascii=False, indent=2)
    finally:
        db.close()


# label, kind, file name suffix, MIME type
CURRICULUM_FILES = [
    ("JSON", "json", ".json", "application/json"),
    ("Markdown", "md", ".md", "text/markdown"),
    ("Notebooks (zip)", "notebooks", "-notebooks.zip", "application/zip"),
]
LEARNER_FILES = [
    ("Mastery (CSV)", "csv", "-mastery.csv", "text/csv"),
    ("Mastery (xAPI statements)", "xapi", "-xapi.json", "application/json"),
]


def _buttons(files: list[tuple], curriculum: str, who: str) -> None:
    # Each file is made when its button is pressed and downloaded without rerunning the page,
    # so pressing several buttons in a row gives every file (a rerun replaced the files of the
    # others and cancelled their downloads).
    db_path = str(default_db_path().resolve())
    for col, (label, kind, suffix, mime) in zip(st.columns(len(files)), files, strict=True):
        col.download_button(
            label,
            functools.partial(_export, kind, db_path, curriculum, who),
            file_name=f"{curriculum}{suffix}",
            mime=mime,
            key=f"dl_{kind}",
            on_click="ignore",
            icon=":material/download:",
        )


def render() -> None:
    who = require_instructor()
    db = instructor_db()
    st.title("Exports")
    curriculum = pick_curriculum(db, who=who)
    if curriculum is not None:
        mine = may_change(db, curriculum, who)
        st.subheader("Curriculum")
        st.caption(
            "The draft as it is now (rejected exercises are left out of Markdown and notebooks)."
        )
        _buttons(CURRICULUM_FILES, curriculum, who)
        if mine:  # learners' data: the owner's and co-owners' only (the store checks it too)
            st.subheader("Learners")
            _buttons(LEARNER_FILES, curriculum, who)

    st.subheader("Import")
    upload = st.file_uploader(
        "A JSON export (from `teachback export --format json`)", type=["json"], key="import_file"
    )
    new_id = st.text_input("Import as (leave empty to keep its id)", key="import_as")
    if upload is not None and st.button("Import", key="import_go"):
        from teachback.curricula import ownership
        from teachback.curricula.import_json import import_curriculum

        try:
            data = json.loads(upload.getvalue().decode("utf-8"))
            cid = import_curriculum(db, data, curriculum=new_id.strip() or None, name=upload.name)
            ownership.claim(db, cid, who)  # a new curriculum: the importing instructor's
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            st.error(f"{upload.name}: not a teachback JSON export ({err})")
        except TeachbackError as err:
            st.error(str(err))
        else:
            st.success(f"Imported curriculum {cid}.")
