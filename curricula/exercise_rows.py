"""A curriculum's lessons and exercises, with their JSON columns parsed, and a stored exercise
as the engine's ``ExerciseDraft`` (what grading and hints take).

Both come in the concepts' teaching order.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from teachback.curricula.rows import parse_json, placeholders
from teachback.errors import NotFound


def _lesson(row: dict) -> dict:
    row["citations"] = parse_json(row.get("citations"), [])
    return row


def get_lesson(db: Database, concept_id: str) -> dict | None:
    """The lesson of a concept (``citations`` parsed), or ``None`` when there is none."""
    rows = list(db["lessons"].rows_where("concept_id = ?", [concept_id]))
    return _lesson(rows[0]) if rows else None


def get_lessons(db: Database, curriculum: str) -> list[dict]:
    """Every lesson of a curriculum, in the concepts' teaching order."""
    rows = db.query(
        """
        select l.* from lessons l join concepts c on c.id = l.concept_id
        where c.curriculum_id = ? order by coalesce(c.position, 1e9), c.name, c.id
        """,
        [curriculum],
    )
    return [_lesson(row) for row in rows]


def _exercise(row: dict) -> dict:
    row["choices"] = parse_json(row.get("choices"), [])
    row["answer"] = parse_json(row.get("answer"), row.get("answer"))
    row["citations"] = parse_json(row.get("citations"), [])
    row["data"] = parse_json(row.get("data"), {})
    row["self_check"] = parse_json(row.get("self_check"), None)
    return row


def get_exercises(
    db: Database,
    curriculum: str,
    concept_id: str | None = None,
    statuses: Sequence[str] | None = ("kept", "approved"),
) -> list[dict]:
    """Exercises with ``choices``, ``answer``, ``citations``, ``data``, ``self_check`` parsed.

    Ordered by the concept's teaching order, then kind and id. ``statuses=None`` gives all
    (including ``rejected`` and ``draft``)."""
    where, params = ["e.curriculum_id = ?"], [curriculum]
    if concept_id is not None:
        where.append("e.concept_id = ?")
        params.append(concept_id)
    if statuses is not None:
        statuses = list(statuses)
        where.append(f"e.status in ({placeholders(statuses)})")
        params.extend(statuses)
    rows = db.query(
        "select e.* from exercises e left join concepts c on c.id = e.concept_id where "
        + " and ".join(where)
        + " order by coalesce(c.position, 1e9), e.concept_id, e.kind, e.id",
        params,
    )
    return [_exercise(row) for row in rows]


def get_exercise(db: Database, exercise_id: str) -> dict:
    """One exercise (JSON parsed); raises ``NotFound``."""
    rows = list(db["exercises"].rows_where("id = ?", [exercise_id]))
    if not rows:
        raise NotFound(f"no exercise {exercise_id!r}")
    return _exercise(rows[0])


def exercise_draft(row: dict):
    """A stored exercise row (from ``get_exercises``) as the engine's ``ExerciseDraft``, e.g.
    for ``GradeRequest.exercise``. ``concept`` is the concept's name when the row has one
    (``concept_name``), else its id."""
    from teachback.engine.protocol import ExerciseDraft, SelfCheckResult, Span

    check = row.get("self_check")
    return ExerciseDraft(
        concept=row.get("concept_name") or row["concept_id"],
        kind=row["kind"],
        prompt=row["prompt"],
        choices=row.get("choices") or [],
        answer=row["answer"] if row.get("answer") is not None else "",
        explanation=row.get("explanation") or "",
        difficulty=row.get("difficulty") if row.get("difficulty") is not None else 0.5,
        citations=[
            Span(**{k: c[k] for k in ("source", "start", "end", "quote")})
            for c in row.get("citations") or []
        ],
        data=row.get("data") or {},
        self_check=SelfCheckResult(**check) if isinstance(check, dict) else None,
    )
