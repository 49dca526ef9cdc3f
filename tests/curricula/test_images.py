"""Figures are stored once by content hash; a source row keeps no image bytes."""

from __future__ import annotations

import base64
import hashlib

from teachback.curricula.db import open_db
from teachback.curricula.images import image, image_refs, store_images
from teachback.curricula.migrations import migrations

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _meta():
    key = hashlib.sha256(PNG).hexdigest()
    item = {
        "key": key,
        "mime": "image/png",
        "alt": "a cell",
        "data": base64.b64encode(PNG).decode(),
    }
    return key, {"encoding": "utf-8", "images": {"cell.png": item, "copy.png": dict(item)}}


def test_store_images_keeps_bytes_once_and_strips_them_from_the_meta(tmp_path):
    db = open_db(tmp_path / "s.db")
    key, meta = _meta()
    kept = store_images(db, meta)
    assert kept == {
        "encoding": "utf-8",
        "images": {
            "cell.png": {"key": key, "mime": "image/png", "alt": "a cell"},
            "copy.png": {"key": key, "mime": "image/png", "alt": "a cell"},
        },
    }
    assert db["images"].count == 1
    assert image(db, key) == ("image/png", PNG)
    assert image(db, "../etc") is None and image(db, "b" * 64) is None
    assert image_refs(f"x ![a cell](teachback-image:{key}) ![y](http://e/x.png)") == [
        ("a cell", key)
    ]


def test_upgrade_to_m0010_adds_the_images_table_and_keeps_rows(tmp_path):
    path = tmp_path / "old.db"
    old = open_db(path, migrate=False)
    migrations.apply(old, stop_before="m0010_images")
    old["curricula"].insert({"id": "c", "title": "C", "created_at": "2026-01-01T00:00:00+00:00"})
    old.close()
    upgraded = open_db(path)
    assert upgraded["curricula"].get("c")["title"] == "C"
    assert upgraded["images"].columns_dict == {
        "key": str,
        "mime": str,
        "alt": str,
        "bytes": int,
        "data": bytes,
    }


def test_markdown_export_writes_the_figures_a_lesson_shows(tmp_path):
    from teachback.curricula.export_markdown import lesson_figures, write_figures

    db = open_db(tmp_path / "s.db")
    key, meta = _meta()
    store_images(db, meta)
    text = f"Cells.\n\n![a cell](teachback-image:{key})\n\n![gone](teachback-image:{'c' * 64})"
    data = {"lessons": [{"text": text}]}
    paths = write_figures(db, data, tmp_path / "out_figures", "out_figures")
    assert paths == {key: f"out_figures/{key[:16]}.png"}
    assert (tmp_path / "out_figures" / f"{key[:16]}.png").read_bytes() == PNG
    assert lesson_figures(text, paths) == (
        f"Cells.\n\n![a cell](out_figures/{key[:16]}.png)\n\n*(Figure: gone)*"
    )
