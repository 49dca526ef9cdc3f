"""The stored classroom sessions, their members and their event log.

Only reads and writes: who may start, join or see what is decided by
``teachback.tutor.classroom.sessions``, which calls these.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from teachback.curricula.db import now


def _first(db: Database, sql: str, params: list) -> dict | None:
    return next(iter(db.query(sql, params)), None)


# ----------------------------------------------------------------------------- sessions


def session_row(db: Database, session_id: str) -> dict | None:
    return _first(db, "select * from classroom_sessions where id = ?", [session_id])


def session_row_by_code(db: Database, code: str) -> dict | None:
    return _first(db, "select * from classroom_sessions where code = ?", [code])


def session_rows_of(db: Database, instructor: str) -> list[dict]:
    """The instructor's sessions, newest first."""
    return list(
        db.query(
            "select * from classroom_sessions where instructor = ? order by created_at desc, id",
            [instructor],
        )
    )


def session_id_taken(db: Database, session_id: str) -> bool:
    return session_row(db, session_id) is not None


def code_taken(db: Database, code: str) -> bool:
    return session_row_by_code(db, code) is not None


def insert_session(db: Database, row: dict) -> None:
    db["classroom_sessions"].insert(row)


def set_code(db: Database, session_id: str, code: str, expires_at: str) -> None:
    db.execute(
        "update classroom_sessions set code = ?, code_expires_at = ? where id = ?",
        [code, expires_at, session_id],
    )


def log_event(db: Database, session_id: str, who: str, op: str, payload: str = "") -> None:
    db.execute(
        "insert into classroom_events (session_id, at, who, op, payload) values (?, ?, ?, ?, ?)",
        [session_id, now(), who, op, payload],
    )


# ----------------------------------------------------------------------------- members


def member_name(db: Database, session_id: str, learner_id: str) -> str | None:
    """The display name ``learner_id`` joined ``session_id`` with, or None."""
    row = _first(
        db,
        "select display_name from classroom_members where session_id = ? and learner_id = ?",
        [session_id, learner_id],
    )
    return row["display_name"] if row else None


def name_taken(db: Database, session_id: str, name: str) -> bool:
    """Whether a member of the session already goes by ``name`` (any case)."""
    return (
        _first(
            db,
            "select 1 as x from classroom_members where session_id = ? and "
            "lower(display_name) = lower(?)",
            [session_id, name],
        )
        is not None
    )


def insert_member(db: Database, row: dict) -> bool:
    """Add a member; False when the name or learner is already in the session (a race)."""
    try:
        db["classroom_members"].insert(row)
    except sqlite3.IntegrityError:
        return False
    return True


def member_rows(db: Database, session_id: str, learner_id: str | None = None) -> list[dict]:
    """``{learner_id, display_name, joined_at}`` of the session's members in joining order
    (only ``learner_id``'s row when given)."""
    sql = "select learner_id, display_name, joined_at from classroom_members where session_id = ?"
    args: list = [session_id]
    if learner_id is not None:
        sql += " and learner_id = ?"
        args.append(learner_id)
    return list(db.query(sql + " order by joined_at, rowid", args))


def latest_open_membership(
    db: Database, learner_id: str, curriculum: str | None = None
) -> dict | None:
    """The learner's latest membership of a session not ended (in ``curriculum`` when given):
    the member row with the session's ``curriculum_id``."""
    sql = """select m.*, s.curriculum_id from classroom_members m
             join classroom_sessions s on s.id = m.session_id
             where m.learner_id = ? and s.status != 'ended'"""
    args: list = [learner_id]
    if curriculum is not None:
        sql += " and s.curriculum_id = ?"
        args.append(curriculum)
    return _first(db, sql + " order by m.joined_at desc limit 1", args)


# ----------------------------------------------------------------------------- attempts


def member_attempt_rows(
    db: Database, session_id: str, learner_id: str, curriculum: str
) -> list[dict]:
    """One member's attempts in ``curriculum``, in the order given."""
    return list(
        db.query(
            """select a.* from attempts a join classroom_members m
               on m.learner_id = a.learner_id and m.session_id = ?
               where a.learner_id = ? and a.curriculum_id = ? order by a.at, a.id""",
            [session_id, learner_id, curriculum],
        )
    )


def class_attempt_rows(db: Database, session_id: str, curriculum: str) -> list[dict]:
    """Every member's attempts in ``curriculum``: what the dashboard aggregates."""
    return list(
        db.query(
            """select a.id, a.learner_id, a.exercise_id, a.concept_id, a.correct, a.answer,
                      a.at, a.session_id
               from attempts a join classroom_members m on m.learner_id = a.learner_id
               where m.session_id = ? and a.curriculum_id = ? order by a.at, a.id""",
            [session_id, curriculum],
        )
    )


# ----------------------------------------------------------------------------- controls


def open_class_of(db: Database, learner_id: str, curriculum: str) -> dict | None:
    """``{id, status, cap, push, push_at}`` of the learner's latest class on ``curriculum``
    that has not ended, or None."""
    return _first(
        db,
        """select s.id, s.status, s.cap, s.push, s.push_at
           from classroom_members m join classroom_sessions s on s.id = m.session_id
           where m.learner_id = ? and s.curriculum_id = ? and s.status != 'ended'
           order by m.joined_at desc limit 1""",
        [learner_id, curriculum],
    )


# The columns an instructor's control may set.
_CONTROLLED = {"status", "cap", "push", "push_at", "ended_at"}


def update_session(db: Database, session_id: str, sets: dict) -> None:
    """Set the given control columns of the session (see ``_CONTROLLED``)."""
    unknown = set(sets) - _CONTROLLED
    if unknown:
        raise ValueError(f"not a control of a classroom session: {sorted(unknown)}")
    cols = ", ".join(f"{k} = ?" for k in sets)
    db.execute(f"update classroom_sessions set {cols} where id = ?", [*sets.values(), session_id])


def event_rows(db: Database, session_id: str) -> list[dict]:
    """The session's log, oldest first: ``{at, who, op, payload}``."""
    return list(
        db.query(
            "select at, who, op, payload from classroom_events where session_id = ? order by id",
            [session_id],
        )
    )
