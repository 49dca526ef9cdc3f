"""Short answers a teacher tried on real curricula (review 15), graded both ways a learner meets
them: the tutor's ``grade()`` with the exercise's reference and rubric as ``teachback learn``
stores them, and ``teachback grade`` (reference only). Pure logic: the real embedding model,
no server.
"""

from __future__ import annotations

from teachback.engine.protocol import GradeRequest
from teachback.tutor.grading import grade
from teachback.tutor.grading.batch import grade_row

RESIZING = (
    "In your own words, what is **resizing**?",
    "Resizing is allocating a new, larger bucket array, usually twice the old capacity, and "
    "moving every entry into it.",
    # The rubric an earlier ingest stored: single words, not what resizing is.
    ["allocating", "usually twice", "old capacity", "moving every entry"],
)
FINETUNING = (
    "In your own words, what is **finetuning**?",
    "Finetuning is no different than training, we just make sure to initialize from a "
    "pretrained model and train with a smaller learning rate.",
    ["different", "make sure", "initialize", "smaller learning rate"],
)
OUTER_JOIN = (
    "In your own words, what is **outer join**?",
    "An outer join returns a join over the union of the input columns, and fills in all "
    "missing values with NAs.",
    ["join", "union", "input columns", "fills"],
)


def both_paths(exercise, answer):
    """(grade with the stored rubric, the ``teachback grade`` line) for one answer."""
    question, reference, rubric = exercise
    tutor = grade(
        GradeRequest(question=question, reference=reference, answer=answer, rubric=rubric)
    )
    line = grade_row(
        {"question": question.replace("**", ""), "reference": reference, "student_answer": answer}
    )
    return tutor, line


def test_the_rubric_never_raises_a_score_above_the_reference_alone():
    # Every rubric word said, none of the statement: the rubric adds nothing.
    tutor, line = both_paths(RESIZING, "allocating usually twice old capacity moving every entry")
    assert tutor.score <= line["score"]


def test_feedback_never_says_an_answer_covers_a_point_it_does_not_cover():
    # It shares "old" and "entries" with the reference and says none of its statements.
    tutor, line = both_paths(
        RESIZING, "Resizing is deleting old entries so the table has room again."
    )
    assert tutor.covered == []
    for feedback in (tutor.feedback, line["feedback"]):
        assert "covers" not in feedback and "You covered" not in feedback, feedback
