"""Edits of what a learner reads and answers: a concept's lesson, and its exercises."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from teachback.curricula.db import now
from teachback.curricula.edits import checks
from teachback.curricula.edits.journal import Change, get, record, transaction
from teachback.errors import InvalidEdit


def edit_lesson(db: Database, concept_id: str, text: str, *, rev: int, who: str) -> int:
    """Replace a concept's lesson text (Markdown). ``rev`` 0 means "there was no lesson"."""
    who = checks.clean_who(who)
    text = checks.clean_text(text, "lesson text")
    with transaction(db):
        c = checks.concept(db, concept_id)
        cur = c["curriculum_id"]
        lesson = get(db, "lessons", (concept_id,))
        what = f"the lesson of {c['name']!r}"
        ch = Change(db)
        if lesson is None:
            if rev != 0:
                raise checks.conflict(db, cur, "lessons", (concept_id,), what, "it was deleted")
            ch.insert(
                "lessons",
                {
                    "concept_id": concept_id,
                    "text": text,
                    "citations": "[]",
                    "origin": "instructor",
                    "edited": 1,
                    "rev": 1,
                    "updated_at": now(),
                },
            )
        else:
            checks.check_rev(db, cur, "lessons", lesson, rev, what)
            if lesson["text"] == text:
                raise InvalidEdit(f"{what} is unchanged")
            ch.update("lessons", (concept_id,), {"text": text})
        return record(db, cur, who, "edit_lesson", {"concept": concept_id}, ch)


def _review(db: Database, exercise_id: str, status: str, rev: int, who: str, op: str, **extra):
    who = checks.clean_who(who)
    with transaction(db):
        x = checks.exercise(db, exercise_id)
        cur = x["curriculum_id"]
        checks.check_rev(db, cur, "exercises", x, rev, f"exercise {exercise_id}")
        if x["status"] == status:
            raise InvalidEdit(f"exercise {exercise_id} is already {status}")
        changes = {"status": status}
        if extra.get("reason"):
            sc = json.loads(x["self_check"] or "{}")
            sc["instructor"] = {"status": status, "reason": extra["reason"], "by": who}
            changes["self_check"] = json.dumps(sc)
        ch = Change(db)
        ch.update("exercises", (exercise_id,), changes)
        return record(db, cur, who, op, {"exercise": exercise_id, **extra}, ch)


def approve_exercise(db: Database, exercise_id: str, *, rev: int, who: str) -> int:
    """Mark an exercise approved (learners get it once a version is published)."""
    return _review(db, exercise_id, "approved", rev, who, "approve_exercise")


def reject_exercise(db: Database, exercise_id: str, *, rev: int, who: str, reason: str = "") -> int:
    """Reject an exercise: it stays stored (undoable) but learners never get it."""
    return _review(db, exercise_id, "rejected", rev, who, "reject_exercise", reason=reason.strip())


def edit_exercise(
    db: Database,
    exercise_id: str,
    *,
    rev: int,
    who: str,
    prompt: str | None = None,
    choices: list[str] | None = None,
    answer: Any = None,
    explanation: str | None = None,
    difficulty: float | None = None,
) -> int:
    """Change an exercise's question, choices, answer key, explanation or difficulty.

    The id stays (attempts point at it); the edited exercise counts as approved.
    """
    who = checks.clean_who(who)
    with transaction(db):
        x = checks.exercise(db, exercise_id)
        cur = x["curriculum_id"]
        checks.check_rev(db, cur, "exercises", x, rev, f"exercise {exercise_id}")
        new_prompt = x["prompt"] if prompt is None else prompt.strip()
        new_choices = json.loads(x["choices"] or "[]") if choices is None else list(choices)
        new_answer = json.loads(x["answer"]) if answer is None else answer
        checks.validate_exercise(x["kind"], new_prompt, new_choices, new_answer)
        changes: dict[str, Any] = {
            "prompt": new_prompt,
            "choices": json.dumps(new_choices),
            "answer": json.dumps(new_answer),
            "status": "approved",
        }
        if explanation is not None:
            changes["explanation"] = explanation.strip()
        if difficulty is not None:
            changes["difficulty"] = checks.share(difficulty, "difficulty")
        if all(x[k] == v for k, v in changes.items() if k != "status"):
            raise InvalidEdit(f"exercise {exercise_id} is unchanged")
        ch = Change(db)
        ch.update("exercises", (exercise_id,), changes)
        return record(db, cur, who, "edit_exercise", {"exercise": exercise_id, **changes}, ch)


def add_exercise(
    db: Database,
    concept_id: str,
    *,
    who: str,
    kind: str,
    prompt: str,
    answer: Any,
    choices: Iterable[str] = (),
    explanation: str = "",
    difficulty: float = 0.5,
    data: dict | None = None,
) -> str:
    """Add an instructor's own exercise (approved); returns its id."""
    who = checks.clean_who(who)
    choices = [str(c).strip() for c in choices if str(c).strip()]
    prompt = (prompt or "").strip()
    if isinstance(answer, str):
        answer = answer.strip()
    checks.validate_exercise(kind, prompt, choices, answer)
    checks.share(difficulty, "difficulty")
    with transaction(db):
        c = checks.concept(db, concept_id)
        cur = c["curriculum_id"]
        xid = hashlib.sha256(f"{concept_id}\n{kind}\n{prompt}".encode()).hexdigest()[:16]
        if get(db, "exercises", (xid,)):
            raise InvalidEdit("the same question already exists for this concept")
        ch = Change(db)
        ch.insert(
            "exercises",
            {
                "id": xid,
                "curriculum_id": cur,
                "concept_id": concept_id,
                "kind": kind,
                "prompt": prompt,
                "choices": json.dumps(choices),
                "answer": json.dumps(answer),
                "explanation": (explanation or "").strip(),
                "difficulty": float(difficulty),
                "citations": "[]",
                "data": json.dumps(data or {}),
                "self_check": json.dumps({"passed": True, "reasons": [f"written by {who}"]}),
                "status": "approved",
                "origin": "instructor",
                "edited": 1,
                "rev": 1,
                "created_at": now(),
            },
        )
        record(db, cur, who, "add_exercise", {"exercise": xid, "concept": concept_id}, ch)
    return xid
