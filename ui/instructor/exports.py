"""Exports: the curriculum as JSON, Markdown and notebooks; learners' mastery as CSV and xAPI;
and importing a JSON export into this database."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from teachback.errors import TeachbackError
from teachback.ui.instructor.common import instructor_db, pick_curriculum, require_instructor


def notebooks_zip(db, curriculum: str) -> bytes:
    from teachback.curricula.export_notebook import export_notebooks

    with tempfile.TemporaryDirectory() as tmp:
        paths = export_notebooks(db, curriculum, Path(tmp) / curriculum)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in paths:
                zf.write(p, arcname=p.name)
    return buf.getvalue()


def render() -> None:
    require_instructor()
    db = instructor_db()
    st.title("Exports")
    curriculum = pick_curriculum(db)
    if curriculum is not None:
        from teachback.curricula.export_json import dumps, export_curriculum
        from teachback.curricula.export_learners import mastery_csv, xapi_statements
        from teachback.curricula.export_markdown import curriculum_data, render_markdown

        try:
            st.subheader("Curriculum")
            st.caption(
                "The draft as it is now (rejected exercises are left out of Markdown "
                "and notebooks)."
            )
            col1, col2, col3 = st.columns(3)
            col1.download_button(
                "JSON",
                dumps(export_curriculum(db, curriculum)),
                file_name=f"{curriculum}.json",
                mime="application/json",
                key="dl_json",
            )
            col2.download_button(
                "Markdown",
                render_markdown(curriculum_data(db, curriculum)),
                file_name=f"{curriculum}.md",
                mime="text/markdown",
                key="dl_md",
            )
            col3.download_button(
                "Notebooks (zip)",
                notebooks_zip(db, curriculum),
                file_name=f"{curriculum}-notebooks.zip",
                mime="application/zip",
                key="dl_nb",
            )
            st.subheader("Learners")
            col4, col5 = st.columns(2)
            col4.download_button(
                "Mastery (CSV)",
                mastery_csv(db, curriculum),
                file_name=f"{curriculum}-mastery.csv",
                mime="text/csv",
                key="dl_csv",
            )
            col5.download_button(
                "Mastery (xAPI statements)",
                json.dumps(xapi_statements(db, curriculum), ensure_ascii=False, indent=2),
                file_name=f"{curriculum}-xapi.json",
                mime="application/json",
                key="dl_xapi",
            )
        except TeachbackError as err:
            st.error(str(err))

    st.subheader("Import")
    upload = st.file_uploader(
        "A JSON export (from `teachback export --format json`)", type=["json"], key="import_file"
    )
    new_id = st.text_input("Import as (leave empty to keep its id)", key="import_as")
    if upload is not None and st.button("Import", key="import_go"):
        from teachback.curricula.import_json import import_curriculum

        try:
            data = json.loads(upload.getvalue().decode("utf-8"))
            cid = import_curriculum(db, data, curriculum=new_id.strip() or None, name=upload.name)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            st.error(f"{upload.name}: not a teachback JSON export ({err})")
        except TeachbackError as err:
            st.error(str(err))
        else:
            st.success(f"Imported curriculum {cid}.")
