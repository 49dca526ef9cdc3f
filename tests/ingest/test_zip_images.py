"""Images inside a zip archive: a Markdown or notebook member's relative link to another
member of the same archive is read as the source's figure (with the same limits as a folder's);
links that climb out of the archive, or name no image, are not."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile

from teachback.curricula.db import open_db
from teachback.curricula.images import image
from teachback.ingest.readers import load_sources
from teachback.ingest.readers.loading import load_bytes

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
KEY = hashlib.sha256(PNG).hexdigest()
NOTES = """# Stacks

A stack is a list where the last item pushed is the first one popped.

![A stack of plates](img/stack.png)

![outside](../../secret.png) ![not an image](notes.txt) ![missing](img/none.png)
"""


def _notebook() -> str:
    cell = {"cell_type": "markdown", "metadata": {}, "source": ["![pushed](../img/stack.png)"]}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def _zip(files: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buf.getvalue()


ARCHIVE = {
    "course/stacks.md": NOTES,
    "course/img/stack.png": PNG,
    "course/notes.txt": "plain text",
    "course/nb/push.ipynb": _notebook(),
    "secret.png": PNG,  # at the archive's root: reachable only by climbing out of course/
}


def _record(alt: str) -> dict:
    return {"key": KEY, "mime": "image/png", "alt": alt, "data": base64.b64encode(PNG).decode()}


def test_a_markdown_and_a_notebook_member_get_the_archives_image(tmp_path):
    path = tmp_path / "course.zip"
    path.write_bytes(_zip(ARCHIVE))
    result = load_sources(path)
    docs = {d.path.rsplit("!", 1)[-1]: d for d in result.documents}
    assert docs["course/stacks.md"].meta["images"] == {
        "img/stack.png": _record("A stack of plates")
    }
    assert docs["course/nb/push.ipynb"].meta["images"] == {"../img/stack.png": _record("pushed")}


def test_an_uploaded_zip_reads_its_images_too():
    result = load_bytes([("course.zip", _zip(ARCHIVE))])
    doc = next(d for d in result.documents if d.path.endswith("stacks.md"))
    assert list(doc.meta["images"]) == ["img/stack.png"]


def test_an_ingested_zip_stores_the_figure_and_a_lesson_shows_it(tmp_path):
    from teachback.ingest.pipeline import run_ingest

    path = tmp_path / "course.zip"
    path.write_bytes(_zip(ARCHIVE))
    db = open_db(tmp_path / "z.db")
    try:
        run_ingest(db, [str(path)], curriculum="z", exercises=False)
        assert image(db, KEY) == ("image/png", PNG)
        shown = [
            r[0] for r in db.execute("select text from lessons where text like ?", [f"%{KEY}%"])
        ]
        assert shown, "no lesson shows the archive's figure"
        assert f"![A stack of plates](teachback-image:{KEY})" in shown[0]
    finally:
        db.close()
