"""The ingest's statements on a real store: stale concepts, exercises an instructor approved."""

from __future__ import annotations

from teachback.curricula import ingest_store
from teachback.curricula import repository as repo


def _concepts(db, *slugs):
    repo.ensure_curriculum(db, "c")
    for n, slug in enumerate(slugs):
        db["concepts"].insert(
            {"id": f"c/{slug}", "curriculum_id": "c", "slug": slug, "name": slug, "position": n}
        )


def test_stale_concepts_go_unless_an_instructor_owns_something_of_theirs(db):
    _concepts(db, "old", "kept")
    db["lessons"].insert({"concept_id": "c/old", "text": "x", "origin": "ingest", "edited": 0})
    db["lessons"].insert({"concept_id": "c/kept", "text": "y", "origin": "ingest", "edited": 1})
    ingest_store.remove_stale_concepts(db, "c", ["c/old", "c/kept"])
    assert [r["id"] for r in db["concepts"].rows] == ["c/kept"]
    assert [r["concept_id"] for r in db["lessons"].rows] == ["c/kept"]


def test_an_identical_approved_exercise_is_kept_and_not_counted_as_new(db):
    _concepts(db, "a")
    row = {
        "id": "ex-1",
        "curriculum_id": "c",
        "concept_id": "c/a",
        "kind": "cloze",
        "prompt": "p",
        "status": "approved",
        "origin": "ingest",
        "edited": 0,
    }
    db["exercises"].insert(row)
    fresh = {**row, "status": "kept"}
    other = {**row, "id": "ex-2", "prompt": "q", "status": "rejected"}
    added = ingest_store.replace_exercises(db, ["c/a"], [fresh, other, fresh])
    assert added == [other]
    assert [(r["id"], r["status"]) for r in db["exercises"].rows_where(order_by="id")] == [
        ("ex-1", "approved"),
        ("ex-2", "rejected"),
    ]
