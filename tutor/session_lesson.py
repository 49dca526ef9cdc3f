"""What the tutor shows: the grounded lesson (whole, brief, or from another angle) and the
learner-facing view of an exercise (never its answer key).

Lesson and source text come from the store as Markdown; the UI renders it with HTML disabled.

>>> public_exercise({"id": "e1", "kind": "matching", "prompt": "Match", "choices": ["b1", "a1"],
...                  "answer": ["a => a1", "b => b1"], "data": {}})["items"]
['a', 'b']
"""

from __future__ import annotations

import json

from sqlite_utils import Database


def _concept(db: Database, concept_id: str) -> dict:
    row = db.execute(
        "select id, name, definition from concepts where id = ?", [concept_id]
    ).fetchone()
    if row is None:
        from teachback.errors import NotFound

        raise NotFound(f"concept {concept_id!r} does not exist")
    return {"id": row[0], "name": row[1], "definition": row[2] or ""}


def lesson_for(db: Database, concept_id: str, *, angle: str = "lesson", attempt: int = 0) -> dict:
    """The lesson for a concept: ``angle="lesson"`` is the stored lesson; ``"evidence"`` is
    another cited passage about it (a different way in after a miss), rotating with
    ``attempt`` so repeated misses see different passages.
    """
    concept = _concept(db, concept_id)
    row = db.execute(
        "select text, citations from lessons where concept_id = ?", [concept_id]
    ).fetchone()
    text = row[0] if row and row[0] else ""
    citations = _load(row[1]) if row else []
    if angle == "evidence":
        other = _other_passage(db, concept_id, {c.get("quote") for c in citations}, attempt)
        if other is not None:
            return {
                "concept_name": concept["name"],
                "text": other["text"],
                "citations": [other["citation"]],
                "brief": False,
                "angle": "evidence",
            }
    if not text:  # no lesson written: fall back to the definition the sources give
        text = concept["definition"] or f"*{concept['name']}*"
    return {
        "concept_name": concept["name"],
        "text": text,
        "citations": citations,
        "brief": False,
        "angle": "lesson",
    }


def brief_lesson(db: Database, concept_id: str, lesson: dict) -> dict:
    """Only the key sentence (the concept's definition), for a learner who is doing well."""
    concept = _concept(db, concept_id)
    if not concept["definition"]:
        return lesson
    return {**lesson, "text": concept["definition"], "brief": True}


def _other_passage(db: Database, concept_id: str, used: set, attempt: int) -> dict | None:
    rows = list(
        db.query(
            """select e.quote, e.start, e.end, e.source_id, p.text as passage, s.path
               from evidence e left join passages p on p.id = e.passage_id
               left join sources s on s.id = e.source_id
               where e.concept_id = ?
               order by case e.role when 'mention' then 0 when 'code' then 1 else 2 end, e.id""",
            [concept_id],
        )
    )
    fresh = [r for r in rows if r["quote"] not in used] or rows
    if not fresh:
        return None
    r = fresh[attempt % len(fresh)]
    text = r["passage"] or r["quote"]
    return {
        "text": text,
        "citation": {
            "source": r["source_id"],
            "start": r["start"],
            "end": r["end"],
            "quote": r["quote"],
            "path": r["path"] or "",
        },
    }


def public_exercise(exercise: dict) -> dict:
    """The exercise as shown: prompt, kind, choices, and for ordering/matching the items."""
    view = {
        "id": exercise["id"],
        "kind": exercise["kind"],
        "prompt": exercise["prompt"],
        "choices": [str(c) for c in exercise.get("choices") or []],
    }
    data = exercise.get("data") or {}
    key = exercise.get("answer")
    if exercise["kind"] == "ordering":
        view["items"] = view["choices"] or sorted(str(k) for k in key or [])
    elif exercise["kind"] == "matching":
        left = data.get("left") or data.get("terms")
        left = left or [str(p).split("=>")[0].strip() for p in key or []]
        right = view["choices"] or data.get("right") or []
        if not right:
            right = sorted(str(p).split("=>", 1)[-1].strip() for p in key or [])
        view["items"], view["choices"] = list(left), list(right)
    elif exercise["kind"] == "true_false" and not view["choices"]:
        view["choices"] = ["True", "False"]
    return view


def _load(text) -> list:
    try:
        value = json.loads(text) if text else []
    except json.JSONDecodeError:
        return []
    return value if isinstance(value, list) else []
