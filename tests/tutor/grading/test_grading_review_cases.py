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


def test_a_right_paraphrase_is_correct_with_the_rubric_too():
    answer = (
        "You make a bigger array of buckets, about double the size, and move all the entries "
        "over into it."
    )
    tutor, line = both_paths(RESIZING, answer)
    assert line["verdict"] == "correct"
    # The stored rubric's fragments ("allocating", "usually twice") are cut from statements
    # the answer says in other words: they do not hold it back.
    assert tutor.verdict == "correct"
    assert tutor.missing == []


def test_a_wrong_answer_sharing_rubric_words_stays_below_correct_with_the_rubric():
    tutor, _ = both_paths(RESIZING, "Resizing is deleting old entries so the table has room again.")
    assert tutor.verdict != "correct"


def test_a_point_said_with_its_term_changed_is_not_claimed_as_covered():
    answer = (
        "It returns a join over the intersection of the input columns and drops rows with "
        "missing values."
    )
    _, line = both_paths(OUTER_JOIN, answer)
    assert "covers: An outer join returns a join over the union" not in line["feedback"]
    assert "union of the input columns" in line["feedback"]  # named as what a full answer says


def test_a_fluent_wrong_answer_on_the_topic_is_not_correct():
    # It deletes the entries the reference moves: the opposite step, done to the same thing.
    wrong = "Resizing is deleting old entries so the table has room again."
    tutor, wrong_line = both_paths(RESIZING, wrong)
    _, right_line = both_paths(
        RESIZING,
        "You make a bigger array of buckets, about double the size, and move all the entries "
        "over into it.",
    )
    assert (tutor.verdict, wrong_line["verdict"]) == ("incorrect", "incorrect")
    assert right_line["score"] > wrong_line["score"]
    assert wrong_line["feedback"].startswith(
        "Not quite. Your answer says “deleting” where the expected answer says “moving”: "
        "“Resizing is deleting old entries so the table has room again”."
    )


@pytest.mark.parametrize(
    "exercise, wrong, said",
    [
        (
            RESIZING,
            "Resizing is allocating a new, smaller bucket array, usually half the old capacity, "
            "and moving every entry into it.",
            "Your answer says “smaller” where the expected answer says “larger”, and “half” "
            "where it says “twice”: “Resizing is allocating a new, smaller bucket array, usually "
            "half the old capacity”.",
        ),
        (
            FINETUNING,
            "Finetuning is training a model from scratch with a larger learning rate.",
            "Your answer says “larger” where the expected answer says “smaller”: “Finetuning is "
            "training a model from scratch with a larger learning rate”.",
        ),
        (
            OUTER_JOIN,
            "It returns a join over the intersection of the input columns and drops rows with "
            "missing values.",
            # Both wrong steps are named: the set it joins over and what it does to the rows.
            "Your answer says “intersection” where the expected answer says “union”, and “drops” "
            "where it says “fills”: “It returns a join over the intersection of the input columns "
            "and drops rows with missing values”.",
        ),
    ],
)
def test_a_key_term_turned_into_its_opposite_is_incorrect_and_named(exercise, wrong, said):
    tutor, line = both_paths(exercise, wrong)
    assert (tutor.verdict, line["verdict"]) == ("incorrect", "incorrect")
    assert tutor.covered == []
    expected = exercise[1]
    for feedback in (tutor.feedback, line["feedback"]):
        assert feedback == f"Not quite. {said} Expected: {expected}"


def test_a_right_paraphrase_scores_above_the_term_swapped_reference():
    _, wrong_line = both_paths(
        OUTER_JOIN,
        "It returns a join over the intersection of the input columns and drops rows with "
        "missing values.",
    )
    _, right_line = both_paths(
        OUTER_JOIN, "It keeps every key from both tables and puts NaN where one side has no match."
    )
    assert right_line["score"] > wrong_line["score"]


JAGGED = (
    "In your own words, what is **jagged frontier**?",
    "AI researchers have a term for it: jagged frontier. It means AI capabilities aren’t "
    "advancing as a smooth line moving upward — some directions have shot through the roof "
    "while others are still crawling on the floor.",
    ["smooth line moving upward", "shot", "roof", "floor"],
)


def test_rubric_points_left_out_make_an_answer_incomplete_not_wrong():
    # The rubric is the metaphor's words; a plain right answer repeats none of them.
    answer = (
        "AI progress is uneven: in some areas models are far ahead, while in others they are "
        "still weak."
    )
    tutor, line = both_paths(JAGGED, answer)
    assert (tutor.verdict, line["verdict"]) == ("partly", "partly")
    flipped = "It means AI capabilities are advancing as a smooth line moving upward."
    assert both_paths(JAGGED, flipped)[0].verdict == "incorrect"


@pytest.mark.parametrize(
    "exercise, answer",
    [
        (FINETUNING, "pretrained model smaller learning rate"),
        (RESIZING, "larger bucket array old capacity moving every entry"),
    ],
)
def test_a_list_of_the_rubric_s_phrases_is_not_a_statement(exercise, answer):
    tutor, line = both_paths(exercise, answer)
    assert (tutor.score, line["score"]) == (0.3, 0.3)
    assert "lists words from the expected answer" in line["feedback"]


LINEAR_SEARCH = (
    "In your own words, what is **linear search**?",
    "To look up a key you walk the list from the start and compare every key until you find a "
    "match. That is a linear search: its cost grows in proportion to the number of items, so a "
    "list of a million pairs may need a million comparisons.",
    ["cost", "proportion", "items", "million comparisons"],
)


def test_a_right_plain_answer_need_not_repeat_the_reference_s_consequence():
    # "so a list of a million pairs may need a million comparisons" is an idea of its own: the
    # answer says the statement "cost" and "proportion" come from, in other words.
    answer = (
        "Checking the items one by one from the start until you find the key, so the time "
        "grows with the number of items."
    )
    tutor, line = both_paths(LINEAR_SEARCH, answer)
    assert (tutor.verdict, line["verdict"]) == ("correct", "correct")
    assert "its cost grows in proportion to the number of items" in tutor.covered


def test_a_quantity_said_to_stay_the_same_where_it_grows_is_incorrect_and_named():
    wrong = (
        "Checking the items one by one from the start, so its cost stays the same whatever "
        "the number of items."
    )
    tutor, line = both_paths(LINEAR_SEARCH, wrong)
    assert (tutor.verdict, line["verdict"]) == ("incorrect", "incorrect")
    assert line["feedback"].startswith(
        "Not quite. Your answer says “stays” where the expected answer says “grows”: "
    )
