"""A small curriculum stored row by row, as the ingest would store it (see curricula/migrations/).

The tests build it by hand so the instructor's operations are tested against the real schema
on a real on-disk database without depending on the ingest pipeline.
"""

import json

import pytest

SOURCE_TEXT = (
    "# Cells\n\nA cell is the smallest unit of life. The cell membrane is a thin layer that "
    "encloses the cell. Diffusion is the movement of particles from high to low concentration. "
    "Osmosis is the diffusion of water across a membrane. Active transport moves particles "
    "against a gradient using energy.\n"
)
T = "2026-01-01T00:00:00+00:00"


def _span(phrase: str) -> tuple[int, int]:
    start = SOURCE_TEXT.lower().index(phrase.lower())
    return start, start + len(phrase)


def build_course(db, cid: str = "bio") -> dict:
    """Insert a curriculum; return the ids a test needs."""
    db["curricula"].insert({"id": cid, "title": "Cell biology", "created_at": T, "settings": "{}"})
    src = f"{cid}-src"
    db["sources"].insert(
        {
            "id": src,
            "curriculum_id": cid,
            "path": "cells.md",
            "format": "markdown",
            "title": "Cells",
            "sha256": "x",
            "size": len(SOURCE_TEXT),
            "text": SOURCE_TEXT,
            "language": "en",
            "status": "ok",
            "error": None,
            "ingested_at": T,
        }
    )
    pid = (
        db["passages"]
        .insert(
            {
                "source_id": src,
                "seq": 0,
                "kind": "prose",
                "heading_path": '["Cells"]',
                "locator": "cells.md#cells",
                "start": 0,
                "end": len(SOURCE_TEXT),
                "text": SOURCE_TEXT,
            }
        )
        .last_pk
    )
    u1 = db["units"].insert({"curriculum_id": cid, "position": 0, "title": "Cells"}).last_pk
    u2 = db["units"].insert({"curriculum_id": cid, "position": 1, "title": "Transport"}).last_pk
    concepts = {
        "cell": ("Cell", "A cell is the smallest unit of life.", u1, ["cells"]),
        "membrane": (
            "Cell membrane",
            "The cell membrane is a thin layer that encloses the cell.",
            u1,
            ["membrane", "plasma membrane"],
        ),
        "diffusion": (
            "Diffusion",
            "Diffusion is the movement of particles from high to low concentration.",
            u2,
            [],
        ),
        "osmosis": ("Osmosis", "Osmosis is the diffusion of water across a membrane.", u2, []),
        "active": (
            "Active transport",
            "Active transport moves particles against a gradient using energy.",
            u2,
            [],
        ),
    }
    ids = {}
    for pos, (slug, (name, definition, unit, aliases)) in enumerate(concepts.items()):
        cid_ = f"{cid}/{slug}"
        ids[slug] = cid_
        db["concepts"].insert(
            {
                "id": cid_,
                "curriculum_id": cid,
                "slug": slug,
                "name": name,
                "definition": definition,
                "importance": 0.5,
                "unit_id": unit,
                "position": pos,
                "kind": "term",
                "origin": "ingest",
                "edited": 0,
                "rev": 1,
                "updated_at": T,
            }
        )
        for a in aliases:
            db["aliases"].insert({"concept_id": cid_, "alias": a})
        s, e = _span(definition)
        db["evidence"].insert(
            {
                "concept_id": cid_,
                "source_id": src,
                "passage_id": pid,
                "start": s,
                "end": e,
                "quote": definition,
                "role": "definition",
            }
        )
        s2, e2 = _span(name.split()[-1])
        db["evidence"].insert(
            {
                "concept_id": cid_,
                "source_id": src,
                "passage_id": pid,
                "start": s2,
                "end": e2,
                "quote": SOURCE_TEXT[s2:e2],
                "role": "mention",
            }
        )
        db["lessons"].insert(
            {
                "concept_id": cid_,
                "text": f"## {name}\n\n{definition}",
                "citations": json.dumps(
                    [{"source": src, "start": s, "end": e, "quote": definition}]
                ),
                "origin": "ingest",
                "edited": 0,
                "rev": 1,
                "updated_at": T,
            }
        )
        for k, (kind, prompt, choices, answer) in enumerate(
            [
                (
                    "multiple_choice",
                    f"Which statement describes {name.lower()}?",
                    [definition, "Something else entirely.", "A third option."],
                    definition,
                ),
                ("true_false", f"True or false: {definition}", [], True),
            ]
        ):
            db["exercises"].insert(
                {
                    "id": f"{slug}-x{k}",
                    "curriculum_id": cid,
                    "concept_id": cid_,
                    "kind": kind,
                    "prompt": prompt,
                    "choices": json.dumps(choices),
                    "answer": json.dumps(answer),
                    "explanation": definition,
                    "difficulty": 0.4,
                    "citations": json.dumps(
                        [{"source": src, "start": s, "end": e, "quote": definition}]
                    ),
                    "data": "{}",
                    "self_check": json.dumps(
                        {"passed": True, "reasons": ["answered from sources"], "answered": "x"}
                    ),
                    "status": "kept",
                    "origin": "ingest",
                    "edited": 0,
                    "rev": 1,
                    "created_at": T,
                }
            )
    for pre, con in [("cell", "membrane"), ("membrane", "diffusion"), ("diffusion", "osmosis")]:
        db["edges"].insert(
            {
                "curriculum_id": cid,
                "prerequisite": ids[pre],
                "concept": ids[con],
                "kind": "prerequisite",
                "weight": 0.8,
                "reason": "definition refers to it",
                "origin": "ingest",
                "status": "active",
            }
        )
    db["edges"].insert(
        {
            "curriculum_id": cid,
            "prerequisite": ids["diffusion"],
            "concept": ids["active"],
            "kind": "related",
            "weight": 0.3,
            "reason": "sibling",
            "origin": "ingest",
            "status": "active",
        }
    )
    db["learners"].insert({"id": "ann", "name": "Ann", "created_at": T})
    db["learners"].insert({"id": "bob", "name": "Bob", "created_at": T})
    n = 0
    for learner in ("ann", "bob"):
        for slug in ("diffusion", "osmosis", "membrane"):
            for k, correct in enumerate((1, 0, 1) if learner == "ann" else (0, 1)):
                n += 1
                db["attempts"].insert(
                    {
                        "event_id": f"e{n}",
                        "learner_id": learner,
                        "curriculum_id": cid,
                        "exercise_id": f"{slug}-x{k % 2}",
                        "concept_id": ids[slug],
                        "correct": correct,
                        "score": float(correct),
                        "answer": "x",
                        "time_taken": 3.0,
                        "hints": 0,
                        "at": f"2026-01-0{1 + k}T10:00:0{n % 10}+00:00",
                        "session_id": "s",
                    }
                )
    return {"curriculum": cid, "source": src, "units": [u1, u2], **ids}


STATE_TABLES = [
    "curricula",
    "units",
    "concepts",
    "aliases",
    "evidence",
    "edges",
    "lessons",
    "exercises",
    "attempts",
    "curriculum_versions",
    "snapshot_items",
]


def state(db, *, drop=("rev", "updated_at")) -> dict:
    """Every row of every curriculum table, whole, minus the columns named in ``drop``."""
    out = {}
    for t in STATE_TABLES:
        rows = [{k: v for k, v in r.items() if k not in drop} for r in db[t].rows]
        out[t] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))
    return out


@pytest.fixture
def course(db):
    return build_course(db)


@pytest.fixture
def snapshot():
    """``snapshot(db)``: the whole state of the curriculum tables (see ``state``)."""
    return state


@pytest.fixture
def make_course():
    """``make_course(db, cid)``: store another curriculum (e.g. in a second database)."""
    return build_course
