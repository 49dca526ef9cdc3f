"""Opposites (WordNet antonyms, quantities, other kinds of one thing) and the clauses that say
the reference's statement with a term turned around. Pure logic over the shipped word lists and
the real embedding model."""

import json

import pytest

from teachback.tutor.grading import opposites
from teachback.tutor.grading.clauses import changed_terms, contradictions, opposite_actions
from teachback.tutor.grading.freetext import CHANGED_TERM_CAP, score_free_text


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("larger", "smaller", True),  # inflected forms compared by lemma
        ("keeps", "loses", True),
        ("includes", "excludes", True),
        ("twice", "half", True),  # a quantity in words
        ("double", "twice", False),  # the same quantity
        ("larger", "bigger", False),  # synonyms are not opposites
        ("larger", "larger", False),
    ],
)
def test_opposed_words(a, b, expected):
    assert opposites.opposed(a, b) is expected


def test_other_kinds_of_one_thing_are_not_synonyms():
    assert opposites.other_kind("intersection", "union") is True
    assert opposites.other_kind("sum", "union") is False  # one WordNet synset: synonyms
    assert opposites.other_kind("variable", "value") is False


def test_the_shipped_lists_name_their_source_and_hold_both_relations():
    data = json.loads(opposites.DATA_PATH.read_text(encoding="utf-8"))
    assert data["source"].startswith("WordNet 3.0")
    assert ["large", "small"] in data["antonyms"]
    # free ("not occupied or in use") is similar to unoccupied, the antonym of occupied
    assert ["free", "occupied"] in data["indirect"]
    assert all(len(pair) == 2 and pair[0] < pair[1] for pair in data["antonyms"])
    assert all(2 <= len(group) <= data["max_kinds"] for group in data["kinds"])


REF = "Resizing is allocating a new, larger bucket array, usually twice the old capacity."


def test_an_opposite_under_a_negation_agrees():
    assert contradictions("It allocates a bucket array that is not smaller.", REF) == []
    assert contradictions("It allocates a bucket array that is not larger.", REF) == []
    assert contradictions("It allocates a smaller bucket array.", REF) == [
        ("it allocates a smaller bucket array", "smaller", "larger")
    ]


def test_a_word_in_the_learners_own_clause_is_not_compared_with_an_unrelated_clause():
    # "smaller" here describes the load factor, a clause the reference does not have.
    assert contradictions("It keeps the load factor smaller by growing.", REF) == []


def test_a_noun_swapped_inside_the_reference_wording_is_named():
    ref = "A location in memory that can store a value."
    assert changed_terms("A location in element that can store a value.", ref) == [
        ("a location in element that can store a value", "element", "memory")
    ]
    # A verb that can also be a noun, in the learner's own words, is not a changed term.
    assert changed_terms("It holds where another variable lives in memory.", ref) == []


def test_the_reference_with_a_noun_swapped_is_held_below_correct():
    q, ref = "What is a variable?", "A location in memory that can store a value."
    swapped = score_free_text(q, ref, "A location in element that can store a value.")
    assert swapped.rule == "changed_term" and swapped.score == CHANGED_TERM_CAP
    assert swapped.swapped == [("element", "memory")]
    assert score_free_text(q, ref, ref).score > CHANGED_TERM_CAP


def test_in_the_reference_wording_a_term_swapped_at_a_clause_end_counts_too():
    q, ref = (
        "What is in a function prototype?",
        "The name of the function and the types of the parameters.",
    )
    swapped = score_free_text(
        q, ref, "The name of the function and the constant of the parameters."
    )
    assert swapped.rule == "changed_term" and swapped.swapped == [("constant", "types")]
    # A word the reference itself says elsewhere is no foreign term: "synonym" is its own gloss.
    alias = "An alias (synonym) for the name of the object that its operand points to in memory."
    assert changed_terms("synonym for the object its operand points to", alias, ends=True) == []


def test_a_changed_count_is_a_contradiction_and_the_same_count_in_digits_is_not():
    reference = "A Pandas Series is a one-dimensional array of indexed data."
    (found,) = contradictions("A Pandas Series is a two-dimensional array of data.", reference)
    assert found[1:] == ("two", "one")
    assert contradictions("A Pandas Series is a 1-dimensional array of data.", reference) == []
    # a count only the answer says is not a changed one
    assert opposites.changed_count(["maps", "two", "keys"], ["maps", "keys"]) == ("", "")


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("linear", "constant", True),  # growth rates WordNet does not pair
        ("quadratic", "linear", True),
        ("constant", "constant", False),
    ],
)
def test_growth_rates_exclude_each_other(a, b, expected):
    assert opposites.opposed(a, b) is expected


AMORTIZED = "The amortized cost of an insert is constant, written O(1), even if one insert is slow."


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("The amortized cost of an insert is linear.", [("linear", "constant")]),
        ("The amortized cost of an insert is O(n).", [("linear", "constant")]),
        ("The amortized cost of an insert is O(1).", []),  # the same rate in notation
    ],
)
def test_a_changed_growth_rate_contradicts(answer, expected):
    assert [c[1:] for c in contradictions(answer, AMORTIZED)] == expected


CRYPTO = "A cryptographic hash is designed so that nobody can find two inputs with the same output."


@pytest.mark.parametrize(
    "answer, expected",
    [
        (
            "It is built so that it is easy for anyone to find two inputs with the same output.",
            [("anyone", "nobody")],
        ),
        ("It is built so that no one can find two inputs with the same output.", []),
        # "not ... anyone" says "nobody"
        (
            "It is built so that it is not possible for anyone to find two inputs with one output.",
            [],
        ),
    ],
)
def test_somebody_for_nobody_contradicts(answer, expected):
    assert [c[1:] for c in contradictions(answer, CRYPTO)] == expected


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("Resizing deletes the old entries.", [("entri", "deletes", "moving")]),
        ("Resizing copies every entry into a bigger array.", []),  # the same kind of step
        ("It does not delete the entries.", []),  # a negated step is read as a negation
        ("It makes a copy of the entries.", []),  # "copy" is a noun there
    ],
)
def test_the_opposite_step_on_the_same_thing(answer, expected):
    reference = "Resizing is allocating a larger array and moving every entry into it."
    assert opposite_actions(answer, reference) == expected


def test_a_changed_growth_rate_is_incorrect_and_named():
    q = "In your own words, what is amortized cost?"
    result = score_free_text(q, AMORTIZED, "The amortized cost of an insert is linear.")
    assert (result.rule, result.score, result.swapped) == (
        "opposite",
        0.3,
        [("linear", "constant")],
    )


@pytest.mark.parametrize(
    "answer, reference, ends, expected",
    [
        # A word that can be a verb is a noun after a preposition ("of *portions*").
        (
            "To simulate the behaviour of bytes of the desired software product.",
            "To simulate the behaviour of portions of the desired software product.",
            False,
            ("bytes", "portions"),
        ),
        # The reference says "function" twice; saying it once leaves one swapped.
        (
            "It makes a copy of the body code in every place where a function call is made.",
            "It makes a copy of the function code in every place where a function call is made.",
            False,
            ("body", "function"),
        ),
        # One word for one where the reference's can only be a noun.
        (
            "In the array coding, or by using an initializer list.",
            "In the array declaration, or by using an initializer list.",
            True,
            ("coding", "declaration"),
        ),
        # In the reference's wording, one word for one in an otherwise identical clause,
        # whatever its part of speech ("outside" is a preposition here).
        (
            "They can be declared inside a function (local variables) or testing the functions "
            "(global variables).",
            "They can be declared inside a function (local variables) or outside the functions "
            "(global variables).",
            True,
            ("testing", "outside"),
        ),
        # A list's item is compared with the item it covers most of, not the first sharing as
        # many words.
        (
            "Four ways: nonconstant pointer to constant data, nonconstant solution to "
            "nonconstant data.",
            "Four ways: nonconstant pointer to constant data, nonconstant pointer to nonconstant "
            "data.",
            True,
            ("solution", "pointer"),
        ),
    ],
)
def test_a_swapped_noun_is_found_in_its_slot(answer, reference, ends, expected):
    assert [c[1:] for c in changed_terms(answer, reference, ends=ends)] == [expected]


def test_a_verb_for_a_verb_in_the_reference_wording_rewords():
    ref = "A pointer is a variable that contains the address of another variable."
    assert (
        changed_terms("A variable that stores the address of another variable", ref, ends=True)
        == []
    )
