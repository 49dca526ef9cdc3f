"""What an edit must check before it writes: clean input, existing rows, the rev the editor read.

Every function here either returns a checked value or raises ``InvalidEdit`` / ``NotFound`` /
``EditConflict``; none writes.
"""

from __future__ import annotations

import re
from typing import Any, get_args

from sqlite_utils import Database

from teachback.curricula.edits.journal import get, key_of, last_change, one
from teachback.engine.protocol import ExerciseKind
from teachback.errors import EditConflict, InvalidEdit, NotFound

# The kinds an instructor may give an exercise: the engine protocol's list, not a copy of it.
EXERCISE_KINDS = get_args(ExerciseKind)
MAX_NAME = 200
MAX_TEXT = 100_000


# ----------------------------------------------------------------------------- conflicts


def conflict(
    db: Database, curriculum: str, table: str, key: tuple, what: str, why: str
) -> EditConflict:
    """The conflict to raise when a row changed under the editor, naming the last edit of it."""
    last = last_change(db, curriculum, table, key)
    by = f"{last['who']} at {last['at']} ({last['op']})" if last else "a re-ingest"
    return EditConflict(
        f"{what} was changed by {by} since you read it ({why}); "
        "nothing was changed — reload and try again"
    )


def check_rev(db: Database, curriculum: str, table: str, row: dict, rev: int, what: str) -> None:
    if rev is None:
        raise InvalidEdit(f"{what}: an edit must say which revision it read (rev)")
    if (row.get("rev") or 0) != rev:
        raise conflict(
            db,
            curriculum,
            table,
            key_of(table, row),
            what,
            f"you read rev {rev}, it is now rev {row.get('rev') or 0}",
        )


# ----------------------------------------------------------------------------- input


def clean_name(name: str | None, what: str = "name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidEdit(f"the {what} is empty")
    if len(name) > MAX_NAME:
        raise InvalidEdit(f"the {what} is longer than {MAX_NAME} characters")
    return name


def clean_text(text: str | None, what: str, *, allow_empty: bool = False) -> str:
    text = (text or "").strip()
    if not text and not allow_empty:
        raise InvalidEdit(f"the {what} is empty")
    if len(text) > MAX_TEXT:
        raise InvalidEdit(f"the {what} is longer than {MAX_TEXT} characters")
    return text


def clean_who(who: str | None) -> str:
    who = (who or "").strip()
    if not who:
        raise InvalidEdit("an edit must say who made it")
    return who


def share(value: float, what: str) -> float:
    """``value`` as a float in 0..1 (importance, difficulty)."""
    if not 0.0 <= float(value) <= 1.0:
        raise InvalidEdit(f"{what} must be between 0 and 1")
    return float(value)


def validate_exercise(kind: str, prompt: str, choices: list[str], answer: Any) -> None:
    if kind not in EXERCISE_KINDS:
        raise InvalidEdit(f"unknown exercise kind {kind!r}; one of: {', '.join(EXERCISE_KINDS)}")
    if not (prompt or "").strip():
        raise InvalidEdit("the question is empty")
    if answer is None or (isinstance(answer, str | list) and not answer):
        raise InvalidEdit("the answer key is empty")
    if kind == "multiple_choice":
        if len(choices) < 2:
            raise InvalidEdit("a multiple-choice question needs at least two choices")
        if len(set(choices)) != len(choices):
            raise InvalidEdit("the choices repeat")
        if answer not in choices:
            raise InvalidEdit("the answer must be one of the choices")
    if kind == "true_false" and not isinstance(answer, bool):
        raise InvalidEdit("a true/false answer must be true or false")


# ----------------------------------------------------------------------------- stored rows


def concept(db: Database, concept_id: str) -> dict:
    row = get(db, "concepts", (concept_id,))
    if row is None:
        raise NotFound(f"concept {concept_id!r} does not exist")
    return row


def exercise(db: Database, exercise_id: str) -> dict:
    row = get(db, "exercises", (exercise_id,))
    if row is None:
        raise NotFound(f"exercise {exercise_id!r} does not exist")
    return row


def curriculum(db: Database, curriculum_id: str) -> dict:
    row = one(db, "SELECT * FROM curricula WHERE id = ?", [curriculum_id])
    if row is None:
        raise NotFound(f"curriculum {curriculum_id!r} does not exist")
    return row


def name_taken(
    db: Database, curriculum_id: str, name: str, *, other_than: str | None = None
) -> dict | None:
    """The concept of ``curriculum_id`` already called ``name`` (any case), or None."""
    return one(
        db,
        "SELECT id, name FROM concepts WHERE curriculum_id = ? AND lower(name) = lower(?) "
        "AND id != ?",
        [curriculum_id, name, other_than or ""],
    )


def slugify(name: str) -> str:
    """``"Large language model (LLM)" -> "large-language-model-llm"``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:80] or "concept"


def free_slug(db: Database, curriculum_id: str, name: str) -> str:
    """``slugify(name)``, numbered (``-2``, ``-3``...) until no concept of the curriculum has it."""
    base = slugify(name)
    slug, n = base, 2
    while one(
        db,
        "SELECT 1 AS x FROM concepts WHERE curriculum_id = ? AND slug = ?",
        [curriculum_id, slug],
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug


def aliases(db: Database, concept_id: str) -> list[str]:
    return [
        r["alias"] for r in db.query("SELECT alias FROM aliases WHERE concept_id = ?", [concept_id])
    ]


def ids(db: Database, sql: str, params: list) -> list:
    """The ``id`` column of what ``sql`` returns."""
    return [r["id"] for r in db.query(sql, params)]
