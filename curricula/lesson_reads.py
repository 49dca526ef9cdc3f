"""Lessons a learner marked read: one row per "Got it" on a concept that has no exercise.

A read is not an answer: it says nothing about what the learner knows, so it is kept apart from
the attempt log (``attempt_log``) and no reader of answers has to leave it out. The learner
model replays both (``teachback.tutor.learner_store``): a read counts toward finishing.
``event_id`` is unique, so a second click on "Got it" (another tab, a resumed node) is stored
once.
"""

from __future__ import annotations

from sqlite_utils import Database

from teachback.curricula.attempt_log import append, in_order


def record(db: Database, row: dict) -> bool:
    """Store one read (``event_id, learner_id, curriculum_id, concept_id, time_taken, at,
    session_id``); False when its ``event_id`` was already recorded."""
    return append(db, "lesson_reads", row)


def rows(
    db: Database,
    learner_id: str | None = None,
    curriculum_id: str | None = None,
    *,
    after_id: int = 0,
) -> list[dict]:
    """Reads in the order they happened (as ``attempt_log.in_order``)."""
    return in_order(db, "lesson_reads", learner_id, curriculum_id, after_id=after_id)
