"""Publishing versions, the learner's view, and importing the JSON export elsewhere."""

import copy
import json

import pytest

from teachback.curricula import edits, publish, snapshots
from teachback.curricula.db import open_db
from teachback.curricula.export_json import dumps, export_curriculum
from teachback.curricula.import_json import import_curriculum, load
from teachback.errors import ImportFormatError, InvalidEdit, NotFound


def test_learners_see_only_the_published_version(db, course):
    assert publish.published_view(db, "bio") is None  # a draft until published
    v1 = publish.publish(db, "bio", "alice")
    assert v1 == 1 and db["curricula"].get("bio")["published_version"] == 1
    edits.rename_concept(db, course["osmosis"], "Water osmosis", rev=1, who="alice")
    edits.reject_exercise(db, "osmosis-x1", rev=1, who="alice")

    view = publish.published_view(db, "bio")
    names = {c["id"]: c["name"] for c in view["concepts"]}
    assert names[course["osmosis"]] == "Osmosis"  # the draft edit is not visible yet
    assert "osmosis-x1" in {x["id"] for x in view["exercises"]}
    pending = publish.draft_changes(db, "bio")
    assert pending["changed"] == [course["osmosis"]]
    assert pending["added"] == pending["removed"] == []

    assert publish.publish(db, "bio", "bob") == 2
    view = publish.published_view(db, "bio")
    assert {c["id"]: c["name"] for c in view["concepts"]}[course["osmosis"]] == "Water osmosis"
    assert "osmosis-x1" not in {x["id"] for x in view["exercises"]}
    assert [v["version"] for v in publish.versions(db, "bio")] == [2, 1]
    assert publish.snapshot(db, "bio", 1)["curriculum"]["published_version"] == 1


def test_publishing_keeps_progress_on_unchanged_concepts(db, course):
    publish.publish(db, "bio", "alice")
    old = publish.snapshot(db, "bio")
    attempts = list(db["attempts"].rows)
    edits.edit_lesson(db, course["osmosis"], "Osmosis, retold.", rev=1, who="alice")
    publish.publish(db, "bio", "alice")
    diff = publish.changes(old, publish.snapshot(db, "bio"))
    assert diff["changed"] == [course["osmosis"]]
    assert course["diffusion"] in diff["unchanged"] and course["membrane"] in diff["unchanged"]
    assert list(db["attempts"].rows) == attempts
    ids = {c["id"] for c in publish.published_view(db, "bio")["concepts"]}
    assert {a["concept_id"] for a in attempts} <= ids  # every attempt still points at a concept


def test_publish_refuses_an_empty_curriculum(db):
    db["curricula"].insert({"id": "empty", "title": "E", "created_at": "x"})
    with pytest.raises(InvalidEdit, match="no concepts"):
        publish.publish(db, "empty", "alice")
    assert db["curriculum_versions"].count == 0


def _strip(data):
    """The documented differences of a round trip: published_version."""
    data = copy.deepcopy(data)
    data["curriculum"]["published_version"] = None
    return data


def test_export_import_export_round_trips(db, course, tmp_path):
    edits.rename_concept(db, course["osmosis"], "Water osmosis", rev=1, who="alice")
    publish.publish(db, "bio", "alice")
    first = export_curriculum(db, "bio")
    path = tmp_path / "bio.json"
    path.write_text(dumps(first), encoding="utf-8")

    other = open_db(tmp_path / "other.db")
    try:
        assert import_curriculum(other, load(path)) == "bio"
        again = export_curriculum(other, "bio")
        assert dumps(again) == dumps(_strip(first))
        # and once more, into a second copy under another name
        assert import_curriculum(other, again, curriculum="bio2") == "bio2"
        copy2 = export_curriculum(other, "bio2")
        assert [c["id"] for c in copy2["concepts"]] == [
            "bio2/" + c["slug"] for c in first["concepts"]
        ]
        assert [c["evidence"] for c in copy2["concepts"]] != []
        assert [x["prompt"] for x in copy2["exercises"]] == [
            x["prompt"] for x in first["exercises"]
        ]
    finally:
        other.close()


def _export(db):
    return json.loads(dumps(export_curriculum(db, "bio")))


def _newer(d):
    d["format_version"] = 99


def _bad_quote(d):
    d["concepts"][0]["evidence"][0]["quote"] = "tampered"


def _missing_name(d):
    del d["concepts"][1]["name"]


def _dangling_edge(d):
    d["edges"][0]["concept"] = "bio/ghost"


def _wrong_type(d):
    d["exercises"][0]["choices"] = "a, b"


def _not_ours(d):
    d["format"] = "something-else"


@pytest.mark.parametrize(
    "corrupt, message",
    [
        (_newer, "version 99 is newer"),
        (_bad_quote, r"concepts\[0\].evidence\[0\]: quote does not match"),
        (_missing_name, r"concepts\[1\]: missing field 'name'"),
        (_dangling_edge, r"edges\[0\]: concept 'bio/ghost' is not in concepts"),
        (_wrong_type, r"exercises\[0\]: field 'choices' should be list"),
        (_not_ours, "expected 'teachback-curriculum'"),
    ],
)
def test_a_newer_or_corrupted_file_is_refused_and_changes_nothing(
    db, course, tmp_path, snapshot, corrupt, message
):
    data = _export(db)
    corrupt(data)
    other = open_db(tmp_path / "other.db")
    try:
        before = snapshot(other, drop=())
        with pytest.raises(ImportFormatError, match=message):
            import_curriculum(other, data, name="bio.json")
        assert snapshot(other, drop=()) == before
        assert other["sources"].count == 0
    finally:
        other.close()


def test_truncated_file_and_existing_curriculum_are_refused(db, course, tmp_path, snapshot):
    path = tmp_path / "cut.json"
    path.write_text(dumps(export_curriculum(db, "bio"))[:500], encoding="utf-8")
    with pytest.raises(ImportFormatError, match="not a teachback JSON export"):
        load(path)
    before = snapshot(db, drop=())
    with pytest.raises(ImportFormatError, match="already exists"):
        import_curriculum(db, _export(db))
    assert snapshot(db, drop=()) == before


def test_publishing_again_stores_only_what_changed(db, course):
    publish.publish(db, "bio", "alice")
    items = db["snapshot_items"].count
    draft = export_curriculum(db, "bio")
    assert items == sum(len(draft[s]) for s in snapshots.PACKED_SECTIONS) > 0

    edits.edit_lesson(db, course["osmosis"], "Osmosis, retold.", rev=1, who="alice")
    publish.publish(db, "bio", "bob")
    assert db["snapshot_items"].count == items + 1  # the edited lesson, nothing else
    stored = json.loads(db["curriculum_versions"].get(2)["snapshot"])
    assert set(stored["exercises"]) == {"$items"}

    # What a version gives back is the whole export, text and passages included.
    full = publish.snapshot(db, "bio", 2)
    assert _strip(full) == _strip(export_curriculum(db, "bio"))
    assert all(s["text"] for s in full["sources"])
    assert "Osmosis, retold." not in json.dumps(publish.snapshot(db, "bio", 1)["lessons"])


def test_a_version_whose_items_are_missing_says_so(db, course):
    publish.publish(db, "bio", "alice")
    db.execute("DELETE FROM snapshot_items WHERE body LIKE '%\"prompt\"%'")
    with pytest.raises(NotFound, match="exercises refer to .* missing item"):
        publish.snapshot(db, "bio", 1)
