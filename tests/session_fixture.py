"""A small hand-built curriculum, written straight into the store: a fixture for the tests, so
the tutor can be exercised without running the ingest pipeline.

It is not what learners see (``teachback quickstart`` ingests ``data/samples/`` with the real
pipeline). Rows follow ``curricula/migrations/`` exactly; one source deliberately contains a
``<script>`` tag so tests can check that source text is never rendered as HTML.

>>> from teachback.curricula.db import open_db
>>> db = open_db(None)
>>> build_fixture_curriculum(db)
'water'
>>> db["exercises"].count
13
"""

from __future__ import annotations

import hashlib
import json

from sqlite_utils import Database

from teachback.curricula.db import now

SOURCE_TEXT = """# The water cycle

Evaporation is the process by which liquid water turns into vapour when the sun heats it.

Condensation is the process by which water vapour cools and turns back into liquid droplets.

Precipitation is water that falls from clouds to the ground as rain, snow, sleet or hail.

Runoff is precipitation that flows over the land surface into rivers, lakes and the sea.

The cycle runs in order: evaporation, then condensation, then precipitation, then runoff.

<script>alert('x')</script> A note pasted from a web page.
"""

# (slug, name, unit position, position); the definition is the source's sentence "<Name> is ..."
CONCEPTS = [
    (slug, name, next(p for p in SOURCE_TEXT.split("\n\n") if p.startswith(name + " is ")), u, i)
    for i, (slug, name, u) in enumerate(
        [
            ("evaporation", "Evaporation", 1),
            ("condensation", "Condensation", 1),
            ("precipitation", "Precipitation", 2),
            ("runoff", "Runoff", 2),
        ],
        start=1,
    )
]

EDGES = [
    ("evaporation", "condensation"),
    ("condensation", "precipitation"),
    ("precipitation", "runoff"),
]


def _span(source_id: str, text: str, quote: str) -> dict:
    start = text.index(quote)
    return {"source": source_id, "start": start, "end": start + len(quote), "quote": quote}


def _exercises(slug: str, name: str, definition: str) -> list[dict]:
    """Three exercises per concept (multiple choice, true/false, cloze), plus one ordering."""
    others = [c[1] for c in CONCEPTS if c[0] != slug]
    body = definition.split(" is ", 1)[1]
    extra = []
    if slug == "runoff":
        extra.append(
            {
                "kind": "ordering",
                "prompt": "Put the steps of the water cycle in order.",
                "choices": ["Precipitation", "Evaporation", "Runoff", "Condensation"],
                "answer": ["Evaporation", "Condensation", "Precipitation", "Runoff"],
                "difficulty": 0.6,
            }
        )
    return extra + [
        {
            "kind": "multiple_choice",
            "prompt": f"Which term names this: {body}",
            "choices": sorted([name, *others[:2]]),
            "answer": name,
            "difficulty": 0.3,
        },
        {
            "kind": "true_false",
            "prompt": f"True or false: {name} is the process in which ice melts into lava.",
            "choices": ["True", "False"],
            "answer": False,
            "data": {"corrected": definition},
            "difficulty": 0.4,
        },
        {
            "kind": "cloze",
            "prompt": "Fill in the blank: ____ is " + body,
            "choices": [],
            "answer": name.lower(),
            "data": {"accepted": [name.lower()]},
            "difficulty": 0.5,
        },
    ]


def build_fixture_curriculum(
    db: Database, curriculum: str = "water", *, publish: bool = False
) -> str:
    """Insert the fixture curriculum ``curriculum`` (replacing nothing that exists) as a draft;
    ``publish=True`` also publishes it as version 1 (learners only see published versions).
    Returns its id."""
    if db["curricula"].count_where("id = ?", [curriculum]):
        return curriculum
    _insert(db, curriculum)
    if publish:
        from teachback.curricula.publish import publish as publish_version

        publish_version(db, curriculum, "fixture")
    return curriculum


def _insert(db: Database, curriculum: str) -> None:
    stamp = now()
    with db.conn:
        db["curricula"].insert(
            {
                "id": curriculum,
                "title": "The water cycle (fixture)",
                "created_at": stamp,
                "published_version": None,
                "settings": "{}",
            }
        )
        source_id = hashlib.sha256(f"{curriculum}:water.md".encode()).hexdigest()[:16]
        db["sources"].insert(
            {
                "id": source_id,
                "curriculum_id": curriculum,
                "path": "water.md",
                "format": "markdown",
                "title": "The water cycle",
                "sha256": "",
                "size": len(SOURCE_TEXT),
                "text": SOURCE_TEXT,
                "language": "",
                "status": "ok",
                "error": "",
                "ingested_at": stamp,
            }
        )
        passage_ids = []
        offset = 0
        for seq, para in enumerate(p for p in SOURCE_TEXT.split("\n\n") if p.strip()):
            start = SOURCE_TEXT.index(para, offset)
            offset = start + len(para)
            passage_ids.append(
                db["passages"]
                .insert(
                    {
                        "source_id": source_id,
                        "seq": seq,
                        "kind": "prose",
                        "heading_path": json.dumps(["The water cycle"]),
                        "locator": "",
                        "start": start,
                        "end": offset,
                        "text": para.strip(),
                    }
                )
                .last_pk
            )
        unit_ids = {
            pos: db["units"]
            .insert({"curriculum_id": curriculum, "position": pos, "title": title})
            .last_pk
            for pos, title in [(1, "Water rises"), (2, "Water comes down")]
        }
        for slug, name, definition, unit, position in CONCEPTS:
            cid = f"{curriculum}/{slug}"
            db["concepts"].insert(
                {
                    "id": cid,
                    "curriculum_id": curriculum,
                    "slug": slug,
                    "name": name,
                    "definition": definition,
                    "importance": 0.8,
                    "unit_id": unit_ids[unit],
                    "position": position,
                    "kind": "term",
                    "origin": "ingest",
                    "edited": 0,
                    "rev": 1,
                    "updated_at": stamp,
                }
            )
            span = _span(source_id, SOURCE_TEXT, definition)
            passage = next(
                pid
                for pid, para in zip(passage_ids, SOURCE_TEXT.split("\n\n"), strict=False)
                if definition in para
            )
            db["evidence"].insert(
                {
                    "concept_id": cid,
                    "source_id": source_id,
                    "passage_id": passage,
                    "start": span["start"],
                    "end": span["end"],
                    "quote": definition,
                    "role": "definition",
                }
            )
            order_quote = "The cycle runs in order"
            mention = _span(source_id, SOURCE_TEXT, order_quote)
            db["evidence"].insert(
                {
                    "concept_id": cid,
                    "source_id": source_id,
                    "passage_id": passage_ids[-2],
                    "start": mention["start"],
                    "end": mention["end"] + 70,
                    "quote": SOURCE_TEXT[mention["start"] : mention["end"] + 70].strip(),
                    "role": "mention",
                }
            )
            db["lessons"].insert(
                {
                    "concept_id": cid,
                    "text": f"## {name}\n\n{definition}\n\nIt is one step of the water cycle: "
                    "evaporation, then condensation, then precipitation, then runoff.",
                    "citations": json.dumps([span]),
                    "origin": "ingest",
                    "edited": 0,
                    "rev": 1,
                    "updated_at": stamp,
                }
            )
            for ex in _exercises(slug, name, definition):
                eid = hashlib.sha256(f"{cid}:{ex['kind']}:{ex['prompt']}".encode()).hexdigest()
                db["exercises"].insert(
                    {
                        "id": eid[:16],
                        "curriculum_id": curriculum,
                        "concept_id": cid,
                        "kind": ex["kind"],
                        "prompt": ex["prompt"],
                        "choices": json.dumps(ex["choices"]),
                        "answer": json.dumps(ex["answer"]),
                        "explanation": definition,
                        "difficulty": ex["difficulty"],
                        "citations": json.dumps([span]),
                        "data": json.dumps(ex.get("data", {})),
                        "self_check": json.dumps({"passed": True, "reasons": ["fixture"]}),
                        "status": "kept",
                        "origin": "ingest",
                        "edited": 0,
                        "rev": 1,
                        "created_at": stamp,
                    }
                )
        for pre, post in EDGES:
            db["edges"].insert(
                {
                    "curriculum_id": curriculum,
                    "prerequisite": f"{curriculum}/{pre}",
                    "concept": f"{curriculum}/{post}",
                    "kind": "prerequisite",
                    "weight": 0.8,
                    "reason": "fixture",
                    "origin": "ingest",
                    "status": "active",
                }
            )


def which_function_only(db: Database) -> None:
    """The water curriculum where Evaporation's only question asks which function a piece of
    code is (the others rejected), published."""
    from teachback.curricula.publish import publish

    build_fixture_curriculum(db)
    db.execute("update exercises set status = 'rejected'")
    row = next(db.query("select id from exercises where concept_id = 'water/evaporation'"))
    db["exercises"].update(
        row["id"],
        {
            "kind": "which_function",
            "status": "kept",
            "prompt": "Which function is this? Its name is hidden as `___` (its docstring and "
            "comments are left out).\n\n```python\ndef ___(water):\n    return water.heat()\n```",
            "choices": json.dumps(["evaporation()", "condensation()", "runoff()"]),
            "answer": json.dumps("evaporation()"),
            "data": json.dumps({"symbol": "evaporation", "variant": "code", "code": "..."}),
        },
    )
    publish(db, "water", "fixture")
