"""Figures travel with a curriculum's JSON export file and come back on import; an image whose
bytes do not match its key, or that is not a kept image type, refuses the import whole."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from teachback.curricula.db import open_db
from teachback.curricula.export_json import export_curriculum, write_json
from teachback.curricula.images import image, store_images
from teachback.curricula.import_json import import_curriculum, load
from teachback.errors import ImportFormatError
from teachback.tests.session_fixture import build_fixture_curriculum

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
KEY = hashlib.sha256(PNG).hexdigest()


@pytest.fixture
def with_figure(tmp_path):
    """The water curriculum whose Evaporation lesson shows one stored figure."""
    db = open_db(tmp_path / "from.db")
    build_fixture_curriculum(db)
    item = {"key": KEY, "mime": "image/png", "alt": "the sun heats a lake", "data": ""}
    item["data"] = base64.b64encode(PNG).decode()
    store_images(db, {"images": {"lake.png": item}})
    db.execute(
        "update lessons set text = text || ? where concept_id = 'water/evaporation'",
        [f"\n![the sun heats a lake](teachback-image:{KEY})\n"],
    )
    db.conn.commit()
    yield db
    db.close()


def test_the_export_file_carries_the_figures_and_an_import_shows_them(with_figure, tmp_path):
    path = write_json(with_figure, "water", tmp_path / "water.json")
    data = load(path)
    assert data["images"] == [
        {
            "key": KEY,
            "mime": "image/png",
            "alt": "the sun heats a lake",
            "bytes": len(PNG),
            "data": base64.b64encode(PNG).decode(),
        }
    ]
    other = open_db(tmp_path / "to.db")
    try:
        assert image(other, KEY) is None  # before: "(Figure not available)"
        assert import_curriculum(other, data, name="water.json") == "water"
        assert image(other, KEY) == ("image/png", PNG)
        lesson = other.execute(
            "select text from lessons where concept_id = 'water/evaporation'"
        ).fetchone()[0]
        assert f"teachback-image:{KEY}" in lesson
        # the round trip: the second export carries the same figures, byte for byte
        again = json.loads(write_json(other, "water", tmp_path / "again.json").read_text())
        assert again["images"] == data["images"]
    finally:
        other.close()


def test_snapshots_and_the_light_export_leave_image_bytes_out(with_figure):
    assert "images" not in export_curriculum(with_figure, "water")
    assert "images" not in export_curriculum(with_figure, "water", include_text=False)


def _corrupt_data(d):
    d["images"][0]["data"] = base64.b64encode(PNG + b"x").decode()


def _not_base64(d):
    d["images"][0]["data"] = "%%% not base64 %%%"


def _svg(d):
    svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
    d["images"][0]["data"] = base64.b64encode(svg).decode()
    d["images"][0]["key"] = hashlib.sha256(svg).hexdigest()


def _bad_key(d):
    d["images"][0]["key"] = "../../etc/passwd"


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (_corrupt_data, "images[0]: the image bytes do not match its key"),
        (_not_base64, "images[0]: field 'data' is not base64"),
        (_svg, "images[0]: not a PNG, JPEG, GIF or WebP image"),
        (_bad_key, "images[0]: field 'key' should be 64 lower-case hex digits"),
    ],
)
def test_a_bad_figure_refuses_the_import_and_changes_nothing(
    with_figure, tmp_path, corrupt, message
):
    data = load(write_json(with_figure, "water", tmp_path / "water.json"))
    corrupt(data)
    other = open_db(tmp_path / "to.db")
    try:
        with pytest.raises(
            ImportFormatError, match=message.replace("[", r"\[").replace("]", r"\]")
        ):
            import_curriculum(other, data, name="water.json")
        assert other["curricula"].count == 0 and other["images"].count == 0
    finally:
        other.close()


def test_a_file_without_images_still_imports(with_figure, tmp_path):
    data = load(write_json(with_figure, "water", tmp_path / "water.json"))
    del data["images"]  # an export from before figures were carried
    other = open_db(tmp_path / "to.db")
    try:
        assert import_curriculum(other, data) == "water"
        assert other["images"].count == 0
    finally:
        other.close()
