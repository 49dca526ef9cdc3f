"""Short answers a teacher tried on today's curricula (review 18: the bundled samples, pandas
notebooks and the two articles), graded both ways a learner meets them: the tutor's ``grade()``
with the exercise's reference and rubric, and ``teachback grade`` (reference only). The
references and rubrics are the ones ingest stored for those exercises. Pure logic: the real
embedding model, no server.
"""

from __future__ import annotations

import pytest

from teachback.engine.protocol import GradeRequest
from teachback.tutor.grading import grade
from teachback.tutor.grading.batch import grade_row


def ask(name: str) -> str:
    return f"In your own words, what is **{name}**?"


BUCKET = (
    ask("bucket"),
    "A bucket is the place in the table's array where the entries whose keys map to that slot "
    "are kept.",
    ["table's array", "entries", "keys map", "slot"],
)
TOMBSTONE = (
    ask("tombstone"),
    "A tombstone is a special marker left in a bucket whose entry was deleted.",
    ["special marker left", "entry"],
)
CLUSTERING = (
    ask("primary clustering"),
    "Primary clustering is the tendency of occupied buckets to form long unbroken runs.",
    ["occupied buckets", "form long unbroken runs"],
)
CHAINING = (
    ask("separate chaining"),
    "Separate chaining is a collision resolution strategy in which every bucket holds a small "
    "list of all the entries whose keys hash to it.",
    ["collision resolution strategy", "every bucket holds", "small list", "entries"],
)
CRYPTO = (
    ask("cryptographic hash"),
    "A cryptographic hash is designed so that nobody can find two inputs with the same output; "
    "a hash table only needs keys to be spread evenly, and it needs speed more than secrecy.",
    ["nobody", "output", "speed", "secrecy"],
)


def both_paths(exercise, answer):
    """(grade with the stored rubric, the ``teachback grade`` line) for one answer."""
    question, reference, rubric = exercise
    tutor = grade(
        GradeRequest(question=question, reference=reference, answer=answer, rubric=rubric)
    )
    line = grade_row({"question": question, "reference": reference, "student_answer": answer})
    return tutor, line


@pytest.mark.parametrize(
    "exercise, wrong, said, meant",
    [
        # a preposition of the opposite place
        (
            BUCKET,
            "A bucket is the place outside the table's array where the entries whose keys map "
            "to that slot are kept.",
            "outside",
            "in",
        ),
        # a participle of the opposite step, at the clause's end
        (
            TOMBSTONE,
            "A tombstone is a special marker left in a bucket whose entry was inserted.",
            "inserted",
            "deleted",
        ),
        # an adjective WordNet opposes only through its head (free ~ unoccupied / occupied)
        (
            CLUSTERING,
            "Primary clustering is the tendency of free buckets to form long unbroken runs.",
            "free",
            "occupied",
        ),
        # one where the reference says many
        (
            CHAINING,
            "Separate chaining is a collision resolution strategy in which every bucket holds a "
            "single entry.",
            "single",
            "entries",
        ),
    ],
)
def test_a_word_turned_round_in_the_reference_s_place_for_it_is_incorrect_and_named(
    exercise, wrong, said, meant
):
    tutor, line = both_paths(exercise, wrong)
    assert (tutor.verdict, line["verdict"]) == ("incorrect", "incorrect")
    assert tutor.covered == []
    assert line["feedback"].startswith(
        f"Not quite. Your answer says “{said}” where the expected answer says “{meant}”: "
    )


@pytest.mark.parametrize(
    "exercise, right",
    [
        (
            BUCKET,
            "One slot of the table's array; it holds the entries whose keys hash to that slot.",
        ),
        (
            TOMBSTONE,
            "A marker put in a slot whose entry was removed, so probing continues past it.",
        ),
        (
            CLUSTERING,
            "Occupied buckets bunch together into long runs, so keys that land in a run must "
            "walk to its end.",
        ),
        (
            CHAINING,
            "Each bucket keeps a list of the entries whose keys hash to it, so colliding keys "
            "share the bucket.",
        ),
    ],
)
def test_the_right_paraphrases_of_the_same_exercises_stay_correct(exercise, right):
    tutor, line = both_paths(exercise, right)
    assert (tutor.verdict, line["verdict"]) == ("correct", "correct")


def test_a_negation_about_another_thing_is_not_read_as_denying_the_reference():
    # "don't need that" denies what the answer named before (collision resistance), not what the
    # reference says a hash table needs: the answer is right.
    answer = (
        "A hash designed so nobody can find two inputs with the same output; hash tables don't "
        "need that, they need speed."
    )
    tutor, line = both_paths(CRYPTO, answer)
    assert (tutor.verdict, line["verdict"]) == ("correct", "correct")
    assert "opposite" not in tutor.feedback


def test_a_negated_reference_quotes_the_clause_that_says_the_opposite():
    # "nobody" is a negation the reference shares: the quote is the clause that was turned.
    answer = (
        "A cryptographic hash is designed so that nobody can find two inputs with the same "
        "output; a hash table does not need keys to be spread evenly."
    )
    tutor, line = both_paths(CRYPTO, answer)
    assert (tutor.verdict, line["verdict"]) == ("incorrect", "incorrect")
    assert line["feedback"].startswith(
        "Not quite. Your answer says the opposite of the expected answer: “a hash table does "
        "not need keys to be spread evenly”."
    )


LOAD_FACTOR = (
    ask("load factor"),
    "The load factor is the number of stored entries divided by the number of buckets.",
    ["stored entries divided", "buckets"],
)
ASSOCIATIVE = (
    ask("associative array"),
    "An associative array is a collection of key-value pairs that supports three operations: "
    "insert a pair, look up the value for a key, and delete a key.",
    ["collection", "key-value pairs", "value", "insert"],
)


def test_one_rubric_point_said_back_does_not_cover_the_others_cut_from_its_statement():
    # "buckets" is cut from the same statement as "stored entries divided": saying the one
    # phrase back is not saying the statement the other comes from.
    tutor = both_paths(LOAD_FACTOR, "stored entries divided")[0]
    assert (tutor.verdict, tutor.covered, tutor.missing) == (
        "partly",
        ["stored entries divided"],
        ["buckets"],
    )
    right = "How full the table is: the number of entries divided by the number of buckets."
    assert both_paths(LOAD_FACTOR, right)[0].verdict == "correct"


def test_an_answer_naming_every_operation_of_the_list_is_correct():
    # The rubric no longer carries "three operations" (the count the list answers): 71 % "partly"
    # before, "Missing: ... supports three operations".
    answer = (
        "It stores values under keys and lets you insert a pair, find the value for a key, and "
        "delete a key."
    )
    tutor, line = both_paths(ASSOCIATIVE, answer)
    assert (tutor.verdict, line["verdict"]) == ("correct", "correct")
