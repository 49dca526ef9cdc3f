"""The instructor's controls over a class, and the one function the tutor reads them through.

Controls (each checks that the caller is the session's instructor and is logged as an event):

* ``set_cap(concept)``  nobody moves past ``concept`` (in teaching order; its prerequisites stay
  open) until the cap is moved or released (``None``). The tutor's pacing policy already takes a
  cap (``PacingSettings.cap_concept``): a learner who masters everything up to it is told the
  class waits there, and reviews meanwhile.
* ``push(concept)``     a group review: every member is asked about ``concept`` now, until they
  have answered ``PUSH_GOAL`` questions on it right since the push began (or it is released).
* ``pause`` / ``resume`` nobody gets new questions while paused.
* ``end``               the session closes; members keep their progress and may go on alone.

``classroom_constraints(db, learner_id, curriculum)`` turns the session's current controls into
what the tutor must honour for one learner (one indexed query, plus one for an active push).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from teachback.curricula import attempt_log, catalogue, classroom_store
from teachback.curricula.db import Database, now
from teachback.errors import InvalidEdit, NotFound
from teachback.tutor.classroom.sessions import (
    Caller,
    ClassSession,
    get_session,
    require_instructor_of,
)

PUSH_GOAL = 2  # right answers on the pushed concept that end a learner's group review


@dataclass(frozen=True)
class Constraints:
    """What the tutor must honour for one learner right now."""

    session_id: str
    hold: str | None = None  # a message: no new questions (paused)
    cap: str | None = None  # concept id nobody passes
    push: str | None = None  # concept id to review now (this learner has not met the goal yet)
    push_reason: str = ""


def classroom_constraints(db: Database, learner_id: str, curriculum: str) -> Constraints | None:
    """The constraints of ``learner_id``'s open class on ``curriculum``, or None (learning alone).

    The tutor calls this once per step: a paused class holds (``hold``), a cap is passed to the
    pacing policy, and a push becomes a review step on the pushed concept.
    """
    row = classroom_store.open_class_of(db, learner_id, curriculum)
    if row is None:
        return None
    sid, status, cap, push, push_at = (row[k] for k in ("id", "status", "cap", "push", "push_at"))
    if status == "paused":
        return Constraints(
            sid,
            hold="Your instructor has paused the class. Wait a moment, then press Check again.",
            cap=cap,
        )
    if push:
        done = attempt_log.right_since(db, learner_id, curriculum, push, push_at or "")
        if done >= PUSH_GOAL:
            push = None
    name = ""
    if push:
        found = catalogue.concept_brief(db, push)
        name = found["name"] if found else push
    return Constraints(
        sid,
        cap=cap,
        push=push,
        push_reason=f"group review: your instructor asked the whole class to look at "
        f"\u201c{name}\u201d together"
        if push
        else "",
    )


def _concept(db: Database, session: ClassSession, concept: str | None) -> str | None:
    if concept is None:
        return None
    row = catalogue.concept_brief(db, concept)
    if row is None or row["curriculum_id"] != session.curriculum_id:
        raise NotFound(f"concept {concept!r} is not in curriculum {session.curriculum_id!r}")
    return concept


def _change(db: Database, session_id: str, caller: Caller, op: str, sets: dict, payload) -> None:
    session = require_instructor_of(db, session_id, caller)
    if not session.open:
        raise InvalidEdit("this session has ended: start a new one")
    with db.conn:
        classroom_store.update_session(db, session_id, sets)
        classroom_store.log_event(db, session_id, caller.id, op, json.dumps(payload))


def set_cap(db: Database, session_id: str, caller: Caller, concept: str | None) -> ClassSession:
    """Cap the class at ``concept`` (None releases the cap)."""
    session = get_session(db, session_id)
    concept = _concept(db, session, concept)
    _change(db, session_id, caller, "cap" if concept else "release_cap", {"cap": concept}, concept)
    return get_session(db, session_id)


def push(db: Database, session_id: str, caller: Caller, concept: str | None) -> ClassSession:
    """Move everyone to ``concept`` for a group review (None ends the review)."""
    session = get_session(db, session_id)
    concept = _concept(db, session, concept)
    sets = {"push": concept, "push_at": now() if concept else None}
    _change(db, session_id, caller, "push" if concept else "release_push", sets, concept)
    return get_session(db, session_id)


def pause(db: Database, session_id: str, caller: Caller) -> ClassSession:
    _change(db, session_id, caller, "pause", {"status": "paused"}, None)
    return get_session(db, session_id)


def resume(db: Database, session_id: str, caller: Caller) -> ClassSession:
    _change(db, session_id, caller, "resume", {"status": "active"}, None)
    return get_session(db, session_id)


def end(db: Database, session_id: str, caller: Caller) -> ClassSession:
    """End the session: no more joins or controls; members' progress stays theirs."""
    _change(db, session_id, caller, "end", {"status": "ended", "ended_at": now()}, None)
    return get_session(db, session_id)


def events(db: Database, session_id: str, caller: Caller) -> list[dict]:
    """The session's log (instructor only), oldest first."""
    require_instructor_of(db, session_id, caller)
    return classroom_store.event_rows(db, session_id)
