"""Teach-back: the learner explains a concept in their own words; we score key-point coverage.

The score is mostly the share of key points the explanation covers (soft word alignment through
contextual embeddings, the same test the free-text grader uses for rubric points), blended with
the free-text model's overall judgement of the explanation against the definition. Feedback
names the key points that were missing.

Not handled: judging the *order* or the clarity of an explanation; only what it covers.
"""

from __future__ import annotations

from teachback.engine.protocol import Grade, Span, verdict_for
from teachback.tutor.grading.feedback import compose
from teachback.tutor.grading.freetext import key_points as points_of
from teachback.tutor.grading.freetext import score_free_text

COVERAGE_WEIGHT = 0.7


def grade_teach_back(
    explanation: str,
    concept_definition: str,
    key_points: list[str] | None = None,
    citations: list[Span] | None = None,
    concept: str = "",
) -> Grade:
    """Score an explanation by the key points it covers (``key_points`` default: the definition's
    sentences). ``citations`` are the passages to point back to."""
    points = points_of(concept_definition, key_points)
    question = f"Explain {concept} in your own words." if concept else "Explain the concept."
    reference = concept_definition or " ".join(points)
    result = score_free_text(question, reference, explanation, points)
    if result.rule in ("non_answer", "off_topic"):
        score = 0.0
    else:
        coverage = len(result.covered) / len(points) if points else 0.0
        score = COVERAGE_WEIGHT * coverage + (1 - COVERAGE_WEIGHT) * result.score
    verdict = verdict_for(score)
    right = (
        "No explanation was given."
        if result.rule == "non_answer"
        else "Your explanation is about something else."
        if result.rule == "off_topic"
        else result.covered or "Your explanation does not yet reach the key points."
    )
    notes = []
    if result.instructions_seen:
        notes.append("Instructions inside an explanation are not followed; it was graded as text.")
    feedback = compose(
        verdict, right=right, missing=result.missing, citations=citations or [], notes=notes
    )
    return Grade(
        score=round(min(max(score, 0.0), 1.0), 4),
        verdict=verdict,
        feedback=feedback,
        covered=result.covered,
        missing=result.missing,
        citations=citations or [],
    )
