"""What a grader reads from a request (key, data, citations) and how it returns a ``Grade``.

Every grader answers the same way: a score clamped to 0..1, the verdict it implies (unless the
grader names one), and feedback composed from what was right, what was missing and the sources.
"""

from __future__ import annotations

from teachback.engine.protocol import Grade, GradeRequest, Span, verdict_for
from teachback.tutor.grading.feedback import compose


def citations(req: GradeRequest) -> list[Span]:
    """The request's citations, else the exercise's; the passage quoting the code asked about
    first (``data["source"]``), so "Reread:" points at the cell asked about, not its set-up
    ("import pandas as pd")."""
    spans = list(req.citations) or (list(req.exercise.citations) if req.exercise else [])
    asked = " ".join(str(data(req).get("source") or "").split())
    if asked:
        spans.sort(key=lambda c: asked not in " ".join(c.quote.split()))
    return spans


def key(req: GradeRequest):
    """The answer key: the exercise's when there is one, else the request's reference text."""
    if req.exercise is not None and req.exercise.answer not in ("", [], None):
        return req.exercise.answer
    return req.reference


def data(req: GradeRequest) -> dict:
    return dict(req.exercise.data) if req.exercise is not None else {}


def grade(
    score: float,
    req: GradeRequest,
    *,
    right: list[str] | str | None = None,
    covered: list[str] | None = None,
    missing: list[str] | None = None,
    expected: str = "",
    notes: list[str] | None = None,
    verdict=None,
    say_missing: bool = True,
) -> Grade:
    verdict = verdict or verdict_for(score)
    covered, missing = covered or [], missing or []
    feedback = compose(
        verdict,
        right=right,
        missing=missing if say_missing else [],
        citations=citations(req),
        expected=expected,
        notes=[n for n in (notes or []) if n],
    )
    return Grade(
        score=round(min(max(score, 0.0), 1.0), 4),
        verdict=verdict,
        feedback=feedback,
        covered=covered,
        missing=missing,
        citations=citations(req),
    )


def empty(req: GradeRequest, expected: str) -> Grade:
    return grade(0.0, req, missing=[], right="No answer was given.", expected=expected)
