"""Starting a classroom session, join codes, joining, and who may see whose data.

A session runs on a *published* curriculum. Its join code is 8 characters drawn with ``secrets``
from a 31-symbol alphabet without look-alikes (no 0/O, 1/I/L): 31**8 ~ 2**39.6 codes, so a code
cannot be guessed in the hours it is valid (``CODE_TTL``; the instructor can issue a new one).
Codes are typed case-insensitively and dashes/spaces are ignored (``"abcd-efgh"``).

Identity: membership comes only from the join code. Someone who joins while signed in joins
with their own account; someone who is not gets a guest learner account of their own
(``accounts.create_guest_learner``: an id of 96 random bits, never derived from the display name
or the session id), and the web page signs them in with it. Display names are unique within a
session. ``Caller`` says who is asking: the functions that return a learner's data take one and
raise ``NotAllowed`` unless the caller is that learner or the session's instructor (the
instructor's username).

Not handled: a guest who leaves without setting a password on the Account page can come back
only in the same browser (their sign-in cookie) or with a sign-in code from the instructor.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from teachback.curricula import catalogue, classroom_store, ownership
from teachback.curricula.classroom_store import log_event
from teachback.curricula.db import Database, now
from teachback.errors import InvalidEdit, NotFound, TeachbackError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
CODE_LENGTH = 8
CODE_TTL = timedelta(hours=4)
NAME_MAX = 40


class NotAllowed(TeachbackError):
    """The caller may not see or change this (another learner's data, another's session)."""


class JoinError(TeachbackError):
    """A join code that is wrong, expired or for an ended session, or a bad display name."""


@dataclass(frozen=True)
class Caller:
    """Who is asking: ``Caller("instructor", "Grace")`` or ``Caller("learner", "learner-a")``."""

    role: str  # "instructor" | "learner"
    id: str

    @classmethod
    def instructor(cls, name: str) -> Caller:
        return cls("instructor", name)

    @classmethod
    def learner(cls, learner_id: str) -> Caller:
        return cls("learner", learner_id)


@dataclass(frozen=True)
class ClassSession:
    id: str
    curriculum_id: str
    version: int | None
    instructor: str
    code: str
    code_expires_at: str
    status: str  # "active" | "paused" | "ended"
    cap: str | None
    push: str | None
    push_at: str | None
    created_at: str
    ended_at: str | None

    @property
    def open(self) -> bool:
        return self.status != "ended"


@dataclass(frozen=True)
class Member:
    session_id: str
    learner_id: str
    display_name: str
    curriculum_id: str


def _utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def new_code(length: int = CODE_LENGTH) -> str:
    """A fresh join code: ``secrets.choice`` over ``ALPHABET`` (cryptographic randomness)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_code(text: str) -> str:
    """What a learner typed, as stored: ``" abcd-efgh "`` -> ``"ABCDEFGH"``."""
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())


def join_link(code: str, base_url: str = "") -> str:
    """The link a learner opens to join: ``join_link("ABCDEFGH", "http://h:8501")`` ->
    ``"http://h:8501/join?join=ABCDEFGH"``."""
    return f"{base_url.rstrip('/')}/join?join={code}"


def _session(row) -> ClassSession:
    return ClassSession(**{k: row[k] for k in ClassSession.__dataclass_fields__})


def get_session(db: Database, session_id: str) -> ClassSession:
    row = classroom_store.session_row(db, session_id)
    if row is None:
        raise NotFound(f"no classroom session {session_id!r}")
    return _session(row)


def start_session(
    db: Database, curriculum: str, instructor: str, *, ttl: timedelta = CODE_TTL
) -> ClassSession:
    """Start a session on the published ``curriculum``; the code is valid for ``ttl``."""
    instructor = (instructor or "").strip()
    if not instructor:
        raise InvalidEdit("a classroom session needs the instructor's name")
    version = catalogue.published_version(db, curriculum)  # NotFound when there is none
    if version is None:
        raise InvalidEdit(
            f"curriculum {curriculum!r} is not published yet: publish it (Review & publish) "
            "before starting a class on it"
        )
    sid = secrets.token_hex(3)
    moment = now()
    with db.conn:
        ownership.require(db, curriculum, instructor, "class")  # its owner and co-owners only
        while classroom_store.session_id_taken(db, sid):
            sid = secrets.token_hex(3)
        code = _unused_code(db)
        classroom_store.insert_session(
            db,
            {
                "id": sid,
                "curriculum_id": curriculum,
                "version": version,
                "instructor": instructor,
                "code": code,
                "code_expires_at": (_utc(moment) + ttl).isoformat(timespec="seconds"),
                "status": "active",
                "cap": None,
                "push": None,
                "push_at": None,
                "created_at": moment,
                "ended_at": None,
            },
        )
        log_event(db, sid, instructor, "start", curriculum)
    return get_session(db, sid)


def _unused_code(db: Database) -> str:
    while True:
        code = new_code()
        if not classroom_store.code_taken(db, code):
            return code


def renew_code(
    db: Database, session_id: str, caller: Caller, *, ttl: timedelta = CODE_TTL
) -> ClassSession:
    """A new join code (the old one stops working at once)."""
    session = require_instructor_of(db, session_id, caller)
    if not session.open:
        raise InvalidEdit("this session has ended: start a new one")
    with db.conn:
        expires = (datetime.now(UTC) + ttl).isoformat(timespec="seconds")
        classroom_store.set_code(db, session_id, _unused_code(db), expires)
        log_event(db, session_id, caller.id, "new_code")
    return get_session(db, session_id)


def session_for_code(db: Database, code: str, *, at: datetime | None = None) -> ClassSession:
    """The open session a join code belongs to (``JoinError`` if wrong, expired or ended)."""
    norm = normalise_code(code)
    if len(norm) != CODE_LENGTH:
        raise JoinError(f"a join code has {CODE_LENGTH} letters and digits; got {len(norm)}")
    row = classroom_store.session_row_by_code(db, norm)
    if row is None:
        raise JoinError("no class has this join code: check it with your instructor")
    session = _session(row)
    if not session.open:
        raise JoinError("this class has ended")
    if (at or datetime.now(UTC)) >= _utc(session.code_expires_at):
        raise JoinError("this join code has expired: ask your instructor for a new one")
    return session


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise JoinError("enter a display name")
    if len(name) > NAME_MAX:
        raise JoinError(f"a display name has at most {NAME_MAX} characters")
    return name


def join(
    db: Database,
    code: str,
    display_name: str,
    *,
    learner_id: str | None = None,
    at: datetime | None = None,
) -> Member:
    """Join the class with ``code`` as ``display_name`` (unique within the class).

    ``learner_id`` is the signed-in learner's account; without one a guest learner account is
    made for this member (the caller signs them in with it).
    """
    from teachback.curricula.accounts import create_guest_learner, ensure_learner

    name = clean_name(display_name)
    session = session_for_code(db, code, at=at)
    if learner_id is not None:
        mine = classroom_store.member_name(db, session.id, learner_id)
        if mine:  # already in this class: joining again changes nothing
            return Member(session.id, learner_id, mine, session.curriculum_id)
    if classroom_store.name_taken(db, session.id, name):
        raise JoinError(
            f"\u201c{name}\u201d is already in this class: add an initial or pick another name"
        )
    if learner_id is None:
        learner_id = create_guest_learner(db, name, created_by=f"class {session.id}").id
    with db.conn:
        ensure_learner(db, learner_id, name)
        member = {
            "session_id": session.id,
            "learner_id": learner_id,
            "display_name": name,
            "joined_at": now(),
        }
        if not classroom_store.insert_member(db, member):  # the same name, the same moment
            raise JoinError(f"\u201c{name}\u201d is already in this class")
        log_event(db, session.id, learner_id, "join", name)
    return Member(session.id, learner_id, name, session.curriculum_id)


def require_instructor_of(db: Database, session_id: str, caller: Caller) -> ClassSession:
    """The session, if ``caller`` is its instructor (else ``NotAllowed``)."""
    session = get_session(db, session_id)
    if caller.role != "instructor" or caller.id != session.instructor:
        raise NotAllowed("only the instructor who started this session can do that")
    return session


def require_can_see(db: Database, session_id: str, learner_id: str, caller: Caller) -> None:
    """Allow a learner's own data to that learner and the session's instructor only."""
    session = get_session(db, session_id)
    if caller.role == "instructor" and caller.id == session.instructor:
        return
    if caller.role == "learner" and caller.id == learner_id:
        return
    raise NotAllowed("a learner's progress is visible only to that learner and their instructor")


def members(db: Database, session_id: str, caller: Caller) -> list[dict]:
    """The class list (instructor) or just the caller's own membership (learner)."""
    session = get_session(db, session_id)
    if caller.role == "instructor" and caller.id == session.instructor:
        return classroom_store.member_rows(db, session_id)
    if caller.role == "learner":
        return classroom_store.member_rows(db, session_id, caller.id)
    raise NotAllowed("only this session's instructor can see the class list")


def member_attempts(db: Database, session_id: str, learner_id: str, caller: Caller) -> list[dict]:
    """One member's attempts in the session's curriculum since joining (visibility checked)."""
    require_can_see(db, session_id, learner_id, caller)
    session = get_session(db, session_id)
    return classroom_store.member_attempt_rows(db, session_id, learner_id, session.curriculum_id)


def class_attempts(db: Database, session_id: str, caller: Caller) -> list[dict]:
    """Every member's attempts (instructor only): what the dashboard aggregates."""
    session = require_instructor_of(db, session_id, caller)
    return classroom_store.class_attempt_rows(db, session_id, session.curriculum_id)


def sessions_of(db: Database, caller: Caller) -> list[ClassSession]:
    """The instructor's sessions, newest first."""
    if caller.role != "instructor":
        raise NotAllowed("only instructors have sessions")
    return [_session(r) for r in classroom_store.session_rows_of(db, caller.id)]


def membership(db: Database, learner_id: str, curriculum: str | None = None) -> Member | None:
    """The learner's class (the latest one still open), or None."""
    r = classroom_store.latest_open_membership(db, learner_id, curriculum)
    if r is None:
        return None
    return Member(r["session_id"], r["learner_id"], r["display_name"], r["curriculum_id"])
