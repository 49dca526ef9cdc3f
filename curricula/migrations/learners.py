"""Migrations of what learners leave behind: the learner list, the attempt log mastery is derived
from, and the lessons they marked read.
"""

from __future__ import annotations

import json

from sqlite_utils import Database


def m0002_learners_and_attempts(db: Database) -> None:
    """Learners and the append-only attempt log that mastery is derived from."""
    db["learners"].create({"id": str, "name": str, "created_at": str}, pk="id")
    db["attempts"].create(
        {
            "id": int,
            # Idempotency key chosen by the caller (e.g. session thread + step): the same
            # answer recorded twice (a retried request, a resumed graph) is stored once.
            "event_id": str,
            "learner_id": str,
            "curriculum_id": str,
            "exercise_id": str,
            "concept_id": str,
            "correct": int,
            "score": float,
            "answer": str,
            "time_taken": float,  # seconds
            "hints": int,
            "at": str,
            "session_id": str,
        },
        pk="id",
        foreign_keys=[("learner_id", "learners", "id")],
    )
    db["attempts"].create_index(["event_id"], unique=True)
    db["attempts"].create_index(["learner_id", "curriculum_id", "at"])


def m0012_lesson_reads(db: Database) -> None:
    """Lessons marked read get a table of their own (``curricula/lesson_reads.py``).

    Until now a read was stored as an attempt whose ``exercise_id`` was ``lesson-read:<concept>``
    and every reader of answers had to leave those out (one did not: item difficulties counted
    reads as right answers). Existing reads move here, in the order they were stored, and leave
    the attempt log. An instructor's edit that re-pointed such a read (a merge) names it in its
    undo record; that record is rewritten to name the moved row, so the edit can still be undone.
    """
    db["lesson_reads"].create(
        {
            "id": int,
            "event_id": str,  # idempotency key, as in ``attempts``
            "learner_id": str,
            "curriculum_id": str,
            "concept_id": str,
            "time_taken": float,  # seconds on the lesson
            "at": str,
            "session_id": str,
        },
        pk="id",
        foreign_keys=[("learner_id", "learners", "id")],
        if_not_exists=True,
    )
    db["lesson_reads"].create_index(["event_id"], unique=True, if_not_exists=True)
    db["lesson_reads"].create_index(["learner_id", "curriculum_id", "at"], if_not_exists=True)
    legacy = "exercise_id LIKE 'lesson-read:%'"
    db.execute(
        "INSERT OR IGNORE INTO lesson_reads "
        "(event_id, learner_id, curriculum_id, concept_id, time_taken, at, session_id) "
        "SELECT event_id, learner_id, curriculum_id, concept_id, time_taken, at, session_id "
        f"FROM attempts WHERE {legacy} ORDER BY at, id"
    )
    moved = {
        old_id: new_id
        for old_id, new_id in db.execute(
            f"SELECT a.id, r.id FROM attempts a JOIN lesson_reads r ON r.event_id = a.event_id "
            f"WHERE a.{legacy}"
        ).fetchall()
    }
    db.execute(f"DELETE FROM attempts WHERE {legacy}")
    if moved:
        _m0012_rewrite_edits(db, moved)


_M0012_READ_COLUMNS = (
    "event_id", "learner_id", "curriculum_id", "concept_id", "time_taken", "at", "session_id"
)  # fmt: skip


def _m0012_rewrite_edits(db: Database, moved: dict[int, int]) -> None:
    """Edit records (``edits.inverse``) naming a moved read as ``attempts`` row ``old`` now name
    ``lesson_reads`` row ``moved[old]``, with images of that table's columns (frozen with m0012:
    the shape of ``curricula/edits/journal.py``'s inverse at the time)."""

    def image(row: dict | None, new_id: int) -> dict | None:
        if row is None:
            return None
        return {"id": new_id, **{k: row.get(k) for k in _M0012_READ_COLUMNS}}

    for edit_id, text in db.execute(
        "SELECT id, inverse FROM edits WHERE inverse LIKE '%lesson-read:%'"
    ).fetchall():
        inverse = json.loads(text)
        renamed = {}
        for r in inverse.get("rows", []):
            old = r["key"][0] if r["table"] == "attempts" else None
            if old in moved:
                r["table"], r["key"] = "lesson_reads", [moved[old]]
                r["before"], r["after"] = (
                    image(r["before"], moved[old]),
                    image(r["after"], moved[old]),
                )
                renamed[f"attempts:{json.dumps([old])}"] = (
                    f"lesson_reads:{json.dumps([moved[old]])}"
                )
        if renamed:
            inverse["targets"] = [renamed.get(t, t) for t in inverse.get("targets", [])]
            db.execute("UPDATE edits SET inverse = ? WHERE id = ?", [json.dumps(inverse), edit_id])
