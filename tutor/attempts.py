"""The append-only attempt log: every answer a learner gives is one event.

Mastery, review schedules and success predictions are *derived* from this log by replaying it
(see ``teachback.tutor.mastery``), so a better model can be replayed over old history. There is
deliberately no update or delete function here.

Idempotency: each event carries an ``event_id`` chosen by the caller (for example the session
thread id plus the step number). Recording the same event twice (a retried request, a resumed
LangGraph node) stores it once; ``record_attempt`` returns False the second time.

A lesson marked read is not an answer: it is a ``LessonRead``, stored apart
(``teachback.curricula.lesson_reads``); ``learner_log`` gives both in time order, which is what
the learner model replays.

Not handled here: grading (``teachback.tutor.grading``), the SQL
(``teachback.curricula.attempt_log``) and learner accounts beyond creating a bare ``learners``
row when an attempt names an unknown learner.
"""

from __future__ import annotations

import heapq
from datetime import UTC, datetime

from pydantic import BaseModel, Field, field_validator

from teachback.curricula import attempt_log, lesson_reads
from teachback.curricula.db import Database


def utc_now() -> str:
    """An ISO-8601 UTC time stamp, the format every ``at`` column uses."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso_time(cls, value: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError as err:
        raise ValueError(f"'at' must be an ISO-8601 time stamp, got {value!r}") from err
    return value


class AttemptEvent(BaseModel):
    """One answer by one learner to one exercise (of one concept)."""

    event_id: str = Field(min_length=1)
    learner_id: str = Field(min_length=1)
    curriculum_id: str = Field(min_length=1)
    exercise_id: str = ""
    concept_id: str = Field(min_length=1)
    correct: bool
    score: float = Field(default=-1.0, description="0..1 partial credit; -1 when not graded so")
    answer: str = ""
    time_taken: float = Field(default=0.0, ge=0.0, description="seconds")
    hints: int = Field(default=0, ge=0)
    at: str = Field(default_factory=utc_now)
    session_id: str = ""

    _iso_time = field_validator("at")(_iso_time)

    @property
    def when(self) -> datetime:
        """``at`` as an aware datetime (naive stamps are taken as UTC)."""
        moment = datetime.fromisoformat(self.at)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class LessonRead(BaseModel):
    """One learner marking the lesson of one concept read (a concept with nothing to practise).

    Not an answer: it counts toward finishing, never as evidence of knowing."""

    event_id: str = Field(min_length=1)
    learner_id: str = Field(min_length=1)
    curriculum_id: str = Field(min_length=1)
    concept_id: str = Field(min_length=1)
    time_taken: float = Field(default=0.0, ge=0.0, description="seconds on the lesson")
    at: str = Field(default_factory=utc_now)
    session_id: str = ""

    _iso_time = field_validator("at")(_iso_time)


def record_attempt(db: Database, event: AttemptEvent) -> bool:
    """Append ``event`` to the log; False (and nothing written) if its event_id is already stored.

    Creates the learner row if it does not exist yet, so the foreign key holds.
    """
    row = event.model_dump()
    row["correct"] = int(event.correct)
    return attempt_log.record(db, row)


def record_lesson_read(db: Database, read: LessonRead) -> bool:
    """Store a lesson marked read; False if its event_id is already stored (a second click)."""
    return lesson_reads.record(db, read.model_dump())


def attempt_by_event(db: Database, event_id: str) -> AttemptEvent | None:
    """The attempt stored under ``event_id``, or None: what a step that re-runs after a crash
    (or in a second process) must follow instead of the answer it holds."""
    row = attempt_log.by_event(db, event_id)
    return row_to_event(row) if row else None


def row_to_event(row: dict) -> AttemptEvent:
    """A stored attempt row as an ``AttemptEvent``."""
    row = {k: v for k, v in row.items() if k != "id" and v is not None}
    row["correct"] = bool(row.get("correct", 0))
    return AttemptEvent(**row)


def row_to_read(row: dict) -> LessonRead:
    """A stored lesson-read row as a ``LessonRead``."""
    return LessonRead(**{k: v for k, v in row.items() if k != "id" and v is not None})


def attempts_for(
    db: Database, learner_id: str | None = None, curriculum_id: str | None = None
) -> list[AttemptEvent]:
    """Events in the order they happened (time stamp, then insertion order).

    ``None`` for either argument means "all": ``attempts_for(db, curriculum_id="c")`` returns
    every learner's attempts in that curriculum (what EM fitting and item difficulties need).
    """
    return [row_to_event(r) for r in attempt_log.rows(db, learner_id, curriculum_id)]


def learner_log(
    db: Database, learner_id: str, curriculum_id: str
) -> list[AttemptEvent | LessonRead]:
    """The learner's answers and lesson reads in this curriculum, merged in time order."""
    reads = [row_to_read(r) for r in lesson_reads.rows(db, learner_id, curriculum_id)]
    answers = attempts_for(db, learner_id, curriculum_id)
    return list(heapq.merge(answers, reads, key=lambda e: e.at))
