"""Short answers a teacher tried on real curricula (review 15), graded both ways a learner meets
them: the tutor's ``grade()`` with the exercise's reference and rubric as ``teachback learn``
stores them, and ``teachback grade`` (reference only). Pure logic: the real embedding model,
no server.
"""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize(
    "exercise, answer",
    [
        # The rubric's words in the reference's order, its glue taken out.
        (RESIZING, "allocating usually twice old capacity moving every entry"),
        (FINETUNING, "different make sure initialize smaller learning rate"),
    ],
)
def test_the_reference_without_its_glue_is_not_correct(exercise, answer):
    tutor, line = both_paths(exercise, answer)
    assert (tutor.verdict, line["verdict"]) == ("incorrect", "incorrect")
    assert "lists words from the expected answer" in line["feedback"]


def test_a_right_paraphrase_is_correct_without_a_rubric_to_hold_it_back():
    answer = (
        "You make a bigger array of buckets, about double the size, and move all the entries "
        "over into it."
    )
    tutor, line = both_paths(RESIZING, answer)
    assert line["verdict"] == "correct"
    # The stored rubric's single words ("allocating", "usually twice") are not said in its
    # terms: the rubric holds it to partly, never lower than half the answer's own score.
    assert tutor.verdict == "partly" and tutor.score >= line["score"] / 2


def test_a_point_said_with_its_term_changed_is_not_claimed_as_covered():
    answer = (
        "It returns a join over the intersection of the input columns and drops rows with "
        "missing values."
    )
    _, line = both_paths(OUTER_JOIN, answer)
    assert "covers: An outer join returns a join over the union" not in line["feedback"]
    assert "union of the input columns" in line["feedback"]  # named as what a full answer says


@pytest.mark.xfail(
    strict=True,
    reason="a fluent wrong answer on the topic, or the reference's wording with a noun swapped "
    "('intersection' for 'union'), reads like a paraphrase to the embedding features: "
    "telling them apart needs a model of entailment the grader does not have",
)
@pytest.mark.parametrize(
    "exercise, wrong, right",
    [
        (
            RESIZING,
            "Resizing is deleting old entries so the table has room again.",
            "You make a bigger array of buckets, about double the size, and move all the "
            "entries over into it.",
        ),
        (
            OUTER_JOIN,
            "It returns a join over the intersection of the input columns and drops rows with "
            "missing values.",
            "It keeps every key from both tables and puts NaN where one side has no match.",
        ),
    ],
)
def test_a_wrong_answer_in_the_reference_s_terms_is_not_correct(exercise, wrong, right):
    _, wrong_line = both_paths(exercise, wrong)
    _, right_line = both_paths(exercise, right)
    assert wrong_line["verdict"] != "correct"
    assert right_line["score"] > wrong_line["score"]
