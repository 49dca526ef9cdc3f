"""The tutor's offline algorithms, as the embedded engine runs them (``TutorSteps``).

The engine sits below the tutor and cannot import it, so the tutor's callers hand these to
the engine they run with (``EmbeddedEngine(tutor=TutorSteps())``; see ``engine/embedded.py``).
Each step imports its module when it first runs (grading loads the answer-matching models).
"""

from __future__ import annotations

from teachback.engine.embedded import EmbeddedEngine, get_engine
from teachback.engine.protocol import (
    Engine,
    ExerciseDraft,
    Grade,
    GradeRequest,
    GroundedAnswer,
    Span,
)


class TutorSteps:
    """Implements ``engine.embedded.TutorAlgorithms`` with the tutor's own modules."""

    def grade(self, request: GradeRequest) -> Grade:
        from teachback.tutor.grading import grade

        return grade(request)

    def answer_question(self, question: str, passages: list[Span]) -> GroundedAnswer:
        from teachback.tutor.ask import answer_question

        return answer_question(question, passages)

    def hint(self, exercise: ExerciseDraft, answer: str = "") -> str:
        from teachback.tutor.hints import offline_hint

        return offline_hint(exercise, answer)

    def explain(self, name: str, passages: list[Span]) -> str:
        from teachback.tutor.hints import offline_explanation

        return offline_explanation(name, passages)


def tutor_engine(name: str | None = None) -> Engine:
    """The configured engine (``engine.embedded.get_engine``) over the tutor's offline steps."""
    return get_engine(EmbeddedEngine(tutor=TutorSteps()), name)
