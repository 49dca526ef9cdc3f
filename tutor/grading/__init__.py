"""Grading every exercise kind, free-text answers and teach-backs, offline.

``grade(request)`` picks the grader registered for ``request.kind`` (or the exercise's kind):
closed kinds (multiple choice, cloze, true/false, ordering, matching, predict-output,
which-function) are checked against their key with tolerant matching; free-text kinds (short
answer, function purpose) are scored by a model fitted on human grades (see docs/grading.md).
``prepare(question, reference, rubric)`` (optional) encodes an exercise's texts when it is shown,
so grading the answer later only encodes the answer. ``grade_teach_back`` scores how much of
a concept's key points an explanation covers.

Learners' text is data throughout: it is compared, never followed.
"""

from __future__ import annotations

from teachback.engine.protocol import Grade, GradeRequest
from teachback.tutor.grading.freetext import prepare
from teachback.tutor.grading.kinds import closed, code_reading, write_code  # noqa: F401 (register)
from teachback.tutor.grading.kinds.free_text import grade_free_text
from teachback.tutor.grading.kinds.registry import GRADERS, register
from teachback.tutor.grading.teachback import grade_teach_back

__all__ = ["GRADERS", "grade", "grade_teach_back", "prepare", "register"]


def grade(request: GradeRequest) -> Grade:
    """Grade one answer. Unknown kinds are graded as free text against the reference."""
    kind = request.kind
    if request.exercise is not None and request.kind in ("", "short_answer"):
        kind = request.exercise.kind
    return GRADERS.get(kind, grade_free_text)(request)
