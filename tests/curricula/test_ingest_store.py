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


def test_stale_concepts_go_with_their_rows_in_bulk(db, monkeypatch):
    """Many stale concepts at once (more than one chunk of ids): each goes with its aliases,
    evidence, lessons, exercises and edges, unless an instructor approved or made an exercise
    of it; units left empty go."""
    monkeypatch.setattr(ingest_store, "_CHUNK", 2)
    _concepts(db, "a", "b", "c", "d", "e")
    for slug in "abcde":
        db["aliases"].insert({"concept_id": f"c/{slug}", "alias": slug.upper()})
        db["exercises"].insert(
            {
                "id": f"ex-{slug}",
                "curriculum_id": "c",
                "concept_id": f"c/{slug}",
                "kind": "cloze",
                "prompt": slug,
                "status": "approved" if slug == "b" else "kept",
                "origin": "instructor" if slug == "d" else "ingest",
                "edited": 0,
            }
        )
    db["edges"].insert_all(
        [
            {"curriculum_id": "c", "prerequisite": "c/a", "concept": "c/e", "kind": "prerequisite"},
            {"curriculum_id": "c", "prerequisite": "c/b", "concept": "c/d", "kind": "prerequisite"},
        ]
    )
    ingest_store.remove_stale_concepts(db, "c", iter(["c/a", "c/b", "c/c", "c/d"]))
    assert [r["id"] for r in db["concepts"].rows_where(order_by="id")] == ["c/b", "c/d", "c/e"]
    assert [r["alias"] for r in db["aliases"].rows_where(order_by="alias")] == ["B", "D", "E"]
    assert [r["id"] for r in db["exercises"].rows_where(order_by="id")] == ["ex-b", "ex-d", "ex-e"]
    assert [(r["prerequisite"], r["concept"]) for r in db["edges"].rows] == [("c/b", "c/d")]


def test_source_errors_are_cleared_in_one_go(db):
    repo.ensure_curriculum(db, "c")
    for sid, status in (("s1", "error"), ("s2", "error"), ("s3", "ok")):
        db["sources"].insert(
            {"id": sid, "curriculum_id": "c", "path": sid, "status": status, "error": "bad"}
        )
    ingest_store.clear_source_errors(db, ["s1", "s3"])
    rows = db["sources"].rows_where(order_by="id")
    assert [(r["id"], r["status"], r["error"]) for r in rows] == [
        ("s1", "ok", None),
        ("s2", "error", "bad"),
        ("s3", "ok", "bad"),
    ]


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
