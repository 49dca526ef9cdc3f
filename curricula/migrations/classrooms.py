"""Migrations of classroom sessions: the session with its controls, its members, its event log."""

from __future__ import annotations

from sqlite_utils import Database


def m0004_classrooms(db: Database) -> None:
    """Classroom sessions: one instructor, a published curriculum, a join code, members, and the
    instructor's controls (cap, push, pause, end) as an append-only event log.

    * ``classroom_sessions``: the session and its *current* controls (``cap``/``push`` are
      concept ids or null; ``status`` is "active" | "paused" | "ended"); ``code`` is the short
      join code, valid until ``code_expires_at``;
    * ``classroom_members``: who joined, under which display name (unique per session) and
      which learner id their attempts are recorded under;
    * ``classroom_events``: every control an instructor used and every join, in order.
    """
    db["classroom_sessions"].create(
        {
            "id": str,  # short random hex
            "curriculum_id": str,
            "version": int,  # the published version the session was started on
            "instructor": str,
            "code": str,
            "code_expires_at": str,
            "status": str,
            "cap": str,
            "push": str,
            "push_at": str,  # when the push started (its goal counts answers after it)
            "created_at": str,
            "ended_at": str,
        },
        pk="id",
        foreign_keys=[("curriculum_id", "curricula", "id")],
    )
    db["classroom_sessions"].create_index(["code"], unique=True)
    db["classroom_members"].create(
        {
            "session_id": str,
            "learner_id": str,
            "display_name": str,
            "joined_at": str,
        },
        pk=("session_id", "learner_id"),
        foreign_keys=[("session_id", "classroom_sessions", "id"), ("learner_id", "learners", "id")],
    )
    db["classroom_members"].create_index(["session_id", "display_name"], unique=True)
    db["classroom_members"].create_index(["learner_id"])
    db["classroom_events"].create(
        {"id": int, "session_id": str, "at": str, "who": str, "op": str, "payload": str},
        pk="id",
        foreign_keys=[("session_id", "classroom_sessions", "id")],
    )
    db["classroom_events"].create_index(["session_id", "id"])
