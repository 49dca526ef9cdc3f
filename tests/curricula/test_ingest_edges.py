"""The ingest's edges on a real store, beside the instructor's."""

from __future__ import annotations

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
