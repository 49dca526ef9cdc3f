"""A learner's answers: graded against the stored key (``teachback.tutor.grading``), recorded in
the attempt log (``teachback.tutor.attempts``, idempotent on ``event_id``), read back from it;
and lessons marked read.

The tutor graph calls these through the module (``answers.grade_answer(...)``), so a test can
put a failing or slow grader in their place.
"""

from __future__ import annotations

from typing import Any

from teachback.core.kinds import NAMES as KIND_NAMES
from teachback.core.kinds import graded_by_model
from teachback.curricula import repository
from teachback.curricula.db import Database
from teachback.engine.protocol import Grade, GradeRequest, Span

_SPAN = ("source", "start", "end", "quote")

# Kinds graded by the free-text model (core/kinds.py): what prepare_grading encodes ahead.
FREE_TEXT_KINDS = frozenset(n for n in KIND_NAMES if graded_by_model(n))


def answer_text(value: Any) -> str:
    """How an answer or key reads as text: lists one item a line, booleans as True/False."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def spans_of(citations: Any) -> list[Span]:
    """Stored citation dicts as ``Span``s (malformed items skipped)."""
    return [
        Span(**{k: c[k] for k in _SPAN})
        for c in citations or []
        if isinstance(c, dict) and set(_SPAN) <= set(c)
    ]


def grade_answer(exercise: dict, answer: Any) -> Grade:
    """Grade ``answer`` against the stored key of ``exercise`` (a decoded exercises row)."""
    from teachback.tutor.grading import grade

    citations = spans_of(exercise.get("citations"))
    request = GradeRequest(
        question=exercise["prompt"],
        reference=answer_text(exercise["answer"]),
        answer=answer_text(answer),
        kind=exercise["kind"],
        rubric=list((exercise.get("data") or {}).get("rubric") or []),
        citations=citations,
        exercise=repository.exercise_draft(exercise),
    )
    return grade(request)


def grade_teach_back(explanation: str, concept: dict, citations: list[dict]) -> Grade:
    """Score a learner's explanation of ``concept`` (a concepts row) by the key points of its
    definition that it covers."""
    from teachback.tutor.grading import grade_teach_back as score

    spans = spans_of(citations)
    return score(explanation, concept["definition"] or concept["name"], None, spans,
                 concept["name"])  # fmt: skip


def prepare_grading(exercise: dict | None = None, concept: dict | None = None) -> None:
    """Encode what grading will compare an answer with (question, reference, key points) ahead
    of the answer, for a free-text ``exercise`` or the teach-back of ``concept``; the grader's
    embeddings are cached by text, so grading then only encodes the answer. Closed kinds need
    nothing. Errors are ignored here: grading itself reports them."""
    from teachback.tutor.grading import prepare

    try:
        if exercise is not None:
            if exercise["kind"] in FREE_TEXT_KINDS and not exercise.get("choices"):
                rubric = list((exercise.get("data") or {}).get("rubric") or [])
                prepare(exercise["prompt"], answer_text(exercise["answer"]), rubric)
        elif concept is not None:
            from teachback.tutor.grading.teachback import points_of

            definition = concept["definition"] or concept["name"]
            prepare(
                f"Explain {concept['name']} in your own words.",
                definition,
                points_of(definition, None),
            )
    except Exception:  # noqa: BLE001 - a warm cache is an optimisation only
        pass


def warm_up() -> None:
    """Load the grader's models now (the free-text grader's embeddings take ~1 s the first
    time), so the first learner's first answer is not the one that pays for it."""
    from teachback.tutor.grading import grade

    grade(
        GradeRequest(
            question="What is a warm-up?",
            reference="A short run before the real one.",
            answer="A short practice run.",
            kind="short_answer",
            rubric=["short run"],
        )
    )


# ---------------------------------------------------------------- the attempt log


def record(db: Database, event: dict) -> bool:
    """Append one attempt; False when ``event_id`` was already recorded (a resumed node)."""
    from teachback.tutor.attempts import AttemptEvent, record_attempt

    return bool(record_attempt(db, AttemptEvent(**event)))


def record_read(db: Database, event: dict) -> bool:
    """Store a lesson marked read; False when ``event_id`` was already recorded."""
    from teachback.tutor.attempts import LessonRead, record_lesson_read

    return bool(record_lesson_read(db, LessonRead(**event)))


def recorded(db: Database, event_id: str) -> dict | None:
    """The attempt already stored under ``event_id`` as the response the tutor would have
    received (``{"answer", "time_taken", "hints", "correct", "score"}``), or None."""
    from teachback.tutor.attempts import attempt_by_event

    event = attempt_by_event(db, event_id)
    if event is None:
        return None
    return {
        "answer": event.answer,
        "time_taken": event.time_taken,
        "hints": event.hints,
        "correct": event.correct,
        "score": event.score,
    }


def follow_record(grade: dict, stored: dict) -> dict:
    """``grade`` (a dumped ``Grade`` of the stored answer, graded again) made to agree with the
    stored attempt: the log is the truth, so its verdict and score win when they differ (a
    grader that changed between the two runs)."""
    if (grade["verdict"] == "correct") == stored["correct"]:
        return grade
    verdict = "correct" if stored["correct"] else "incorrect"
    return {
        **grade,
        "verdict": verdict,
        "score": stored["score"] if stored["score"] >= 0 else float(stored["correct"]),
        "feedback": f"This answer was recorded as {verdict}.",
    }


def attempts_of(db: Database, learner: str, curriculum: str) -> list[dict]:
    from teachback.curricula import attempt_log

    return attempt_log.rows(db, learner, curriculum)
