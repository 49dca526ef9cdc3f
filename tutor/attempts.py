"""The append-only attempt log: every answer a learner gives is one event.

Mastery, review schedules and success predictions are *derived* from this log by replaying it
(see ``teachback.tutor.mastery``), so a better model can be replayed over old history. There is
deliberately no update or delete function here.

Idempotency: each event carries an ``event_id`` chosen by the caller (for example the session
thread id plus the step number). Recording the same event twice (a retried request, a resumed
LangGraph node) stores it once; ``record_attempt`` returns False the second time.

Not handled here: grading (``teachback.tutor.grading``) and learner accounts beyond creating a
bare ``learners`` row when an attempt names an unknown learner.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from pydantic import BaseModel, Field, field_validator
from sqlite_utils import Database


def utc_now() -> str:
    """An ISO-8601 UTC time stamp, the format every ``at`` column uses."""
    return datetime.now(UTC).isoformat(timespec="seconds")


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

    @field_validator("at")
    @classmethod
    def _iso_time(cls, value: str) -> str:
        try:
            datetime.fromisoformat(value)
        except ValueError as err:
            raise ValueError(f"'at' must be an ISO-8601 time stamp, got {value!r}") from err
        return value

    @property
    def when(self) -> datetime:
        """``at`` as an aware datetime (naive stamps are taken as UTC)."""
        moment = datetime.fromisoformat(self.at)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def record_attempt(db: Database, event: AttemptEvent) -> bool:
    """Append ``event`` to the log; False (and nothing written) if its event_id is already stored.

    Creates the learner row if it does not exist yet, so the foreign key holds.
    """
    row = event.model_dump()
    row["correct"] = int(event.correct)
    with db.conn:
        db.execute(
            "INSERT OR IGNORE INTO learners (id, name, created_at) VALUES (?, ?, ?)",
            [event.learner_id, event.learner_id, utc_now()],
        )
        try:
            db["attempts"].insert(row)
        except sqlite3.IntegrityError as err:
            if "event_id" in str(err) or "UNIQUE" in str(err):
                return False
            raise
    return True


def attempt_by_event(db: Database, event_id: str) -> AttemptEvent | None:
    """The attempt stored under ``event_id``, or None: what a step that re-runs after a crash
    (or in a second process) must follow instead of the answer it holds."""
    rows = list(db.query("SELECT * FROM attempts WHERE event_id = ?", [event_id]))
    return _row_to_event(dict(rows[0])) if rows else None


def _row_to_event(row: dict) -> AttemptEvent:
    row = {k: v for k, v in row.items() if k != "id" and v is not None}
    row["correct"] = bool(row.get("correct", 0))
    return AttemptEvent(**row)


def attempts_for(
    db: Database, learner_id: str | None = None, curriculum_id: str | None = None
) -> list[AttemptEvent]:
    """Events in the order they happened (time stamp, then insertion order).

    ``None`` for either argument means "all": ``attempts_for(db, curriculum_id="c")`` returns
    every learner's attempts in that curriculum (what EM fitting and item difficulties need).
    """
    where, params = [], []
    if learner_id is not None:
        where.append("learner_id = ?")
        params.append(learner_id)
    if curriculum_id is not None:
        where.append("curriculum_id = ?")
        params.append(curriculum_id)
    sql = "SELECT * FROM attempts"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY at, id"
    return [_row_to_event(dict(r)) for r in db.query(sql, params)]
