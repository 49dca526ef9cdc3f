"""The ingest's statements on a real store: edges against the instructor's, stale concepts,
exercises an instructor approved."""

from __future__ import annotations

from teachback.curricula import ingest_store
from teachback.curricula import repository as repo
from teachback.curricula.ingest_edges import replace_ingest_edges


def _concepts(db, *slugs):
    repo.ensure_curriculum(db, "c")
    for n, slug in enumerate(slugs):
        db["concepts"].insert(
            {"id": f"c/{slug}", "curriculum_id": "c", "slug": slug, "name": slug, "position": n}
        )


def _edge(a, b, status="active", reason="", weight=0.5):
    return {
        "prerequisite": f"c/{a}",
        "concept": f"c/{b}",
        "kind": "prerequisite",
        "weight": weight,
        "reason": reason,
        "status": status,
    }


def _edges(db):
    return [
        (r["prerequisite"], r["concept"], r["origin"], r["status"], r["reason"])
        for r in db["edges"].rows_where(order_by="origin, prerequisite")
    ]


def test_an_ingest_edge_closing_a_cycle_with_the_instructors_is_stored_as_removed(db):
    _concepts(db, "a", "b", "c")
    db["edges"].insert_all(
        [
            {**_edge("a", "b"), "curriculum_id": "c", "origin": "instructor"},
            {**_edge("b", "c"), "curriculum_id": "c", "origin": "instructor"},
        ]
    )
    # an old ingest edge is replaced; c -> a would close a -> b -> c -> a; a -> b is already there
    db["edges"].insert({**_edge("a", "c"), "curriculum_id": "c", "origin": "ingest"})
    replace_ingest_edges(
        db, "c", [_edge("c", "a", reason="c first"), _edge("a", "b"), _edge("x", "a")]
    )
    assert _edges(db) == [
        (
            "c/c",
            "c/a",
            "ingest",
            "removed",
            "c first; removed: would close the cycle c/a -> c/b -> c/c -> c/a",
        ),
        ("c/a", "c/b", "instructor", "active", ""),
        ("c/b", "c/c", "instructor", "active", ""),
    ]


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
