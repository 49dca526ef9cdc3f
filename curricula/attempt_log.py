"""The stored attempt log: one row per answer a learner gave, appended, never updated.

The tutor's model of an attempt (``teachback.tutor.attempts.AttemptEvent``) is built from these
rows; this module only stores and reads them. ``event_id`` is unique, so the same answer
recorded twice (a retried request, a resumed graph node) is stored once.

Lessons marked read are not answers and are not here (``lesson_reads``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from sqlite_utils import Database

from teachback.curricula.db import now


def ensure_learner_row(db: Database, learner_id: str) -> None:
    """A bare ``learners`` row for an id the store does not know yet, so foreign keys hold."""
    db.execute(
        "INSERT OR IGNORE INTO learners (id, name, created_at) VALUES (?, ?, ?)",
        [learner_id, learner_id, now()],
    )


def append(db: Database, table: str, row: dict) -> bool:
    """Insert ``row`` into ``table`` (``attempts`` or ``lesson_reads``) with its learner row;
    False, and nothing written, when its ``event_id`` is already stored."""
    with db.conn:
        ensure_learner_row(db, row["learner_id"])
        try:
            db[table].insert(row)
        except sqlite3.IntegrityError as err:
            if "event_id" in str(err) or "UNIQUE" in str(err):
                return False
            raise
    return True


def record(db: Database, row: dict) -> bool:
    """Append one attempt row; False when its ``event_id`` was already recorded."""
    return append(db, "attempts", row)


def by_event(db: Database, event_id: str) -> dict | None:
    """The attempt row stored under ``event_id``, or None."""
    return next(iter(db.query("SELECT * FROM attempts WHERE event_id = ?", [event_id])), None)


def in_order(
    db: Database,
    table: str,
    learner_id: str | None = None,
    curriculum_id: str | None = None,
    *,
    after_id: int = 0,
) -> list[dict]:
    """Rows of ``table`` (``attempts`` or ``lesson_reads``) in the order they happened (time
    stamp, then insertion order). ``None`` for either id means "all"; ``after_id`` leaves out
    the rows up to that id (what an incremental replay has already seen)."""
    where, params = ["id > ?"], [after_id]
    if learner_id is not None:
        where.append("learner_id = ?")
        params.append(learner_id)
    if curriculum_id is not None:
        where.append("curriculum_id = ?")
        params.append(curriculum_id)
    sql = f"SELECT * FROM [{table}] WHERE {' AND '.join(where)} ORDER BY at, id"
    return list(db.query(sql, params))


def rows(
    db: Database,
    learner_id: str | None = None,
    curriculum_id: str | None = None,
    *,
    after_id: int = 0,
) -> list[dict]:
    """Attempt rows in the order they happened; ``rows(db, curriculum_id="c")`` is
    every learner's attempts in that curriculum (what item difficulties need)."""
    return in_order(db, "attempts", learner_id, curriculum_id, after_id=after_id)


def counts_by_learner(db: Database, learner_ids: Sequence[str]) -> dict[str, int]:
    """How many attempts each of ``learner_ids`` has stored (absent: none)."""
    if not learner_ids:
        return {}
    marks = ",".join("?" * len(learner_ids))
    return {
        r["learner_id"]: r["n"]
        for r in db.query(
            f"SELECT learner_id, count(*) AS n FROM attempts WHERE learner_id IN ({marks}) "
            "GROUP BY learner_id",
            list(learner_ids),
        )
    }


def repeated_events(db: Database, learner_ids: Sequence[str]) -> int:
    """Attempts of ``learner_ids`` stored under an event id already used (0 when idempotency
    holds)."""
    marks = ",".join("?" * len(learner_ids)) or "null"
    return db.execute(
        f"SELECT count(*) - count(distinct event_id) FROM attempts WHERE learner_id IN ({marks})",
        list(learner_ids),
    ).fetchone()[0]


def count_for_learners_like(db: Database, pattern: str) -> int:
    """Attempts of learners whose id matches the SQL ``LIKE`` pattern (simulated learners)."""
    return db.execute(
        "SELECT count(*) FROM attempts WHERE learner_id LIKE ?", [pattern]
    ).fetchone()[0]


def tallies(db: Database, curriculum: str) -> list[dict]:
    """Per learner and concept of ``curriculum``: ``{learner_id, name, concept_id, answers,
    correct, last_at}`` (``name`` from the learner's row), by learner then concept."""
    return list(
        db.query(
            "SELECT a.learner_id, l.name, a.concept_id, count(*) AS answers, "
            "sum(a.correct) AS correct, max(a.at) AS last_at "
            "FROM attempts a LEFT JOIN learners l ON l.id = a.learner_id "
            "WHERE a.curriculum_id = ? GROUP BY a.learner_id, a.concept_id "
            "ORDER BY a.learner_id, a.concept_id",
            [curriculum],
        )
    )


def right_since(db: Database, learner_id: str, curriculum: str, concept_id: str, since: str) -> int:
    """Right answers of the learner on ``concept_id`` stored at or after ``since``."""
    return db.execute(
        "SELECT count(*) FROM attempts WHERE learner_id = ? AND curriculum_id = ? "
        "AND concept_id = ? AND correct = 1 AND at >= ?",
        [learner_id, curriculum, concept_id, since],
    ).fetchone()[0]


def counts_by_exercise(db: Database, learner_id: str, concept_id: str) -> dict[str, int]:
    """How often the learner answered each exercise of ``concept_id`` (absent: never)."""
    return {
        r["exercise_id"]: r["n"]
        for r in db.query(
            "SELECT exercise_id, count(*) AS n FROM attempts WHERE learner_id = ? "
            "AND concept_id = ? GROUP BY exercise_id",
            [learner_id, concept_id],
        )
    }
