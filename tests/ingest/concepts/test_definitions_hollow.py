"""A definition reads on its own and says what the term is: a list item's "It" takes the
subject of the line introducing the list; a sentence that only likens the term to another,
qualifies it in an aside, says how to recognise it, what it applies to here, or what it does in
a case set up elsewhere is no definition (blank beats a non-definition)."""

from __future__ import annotations

import pytest

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.concepts.drafts import says_what
from teachback.ingest.readers import read_bytes

PROPERTIES = b"""# Hash functions

A **hash function** is a function that takes a key and returns a whole number for it.

A good hash function has three properties:

- It is **deterministic**: the same key always gives the same hash value, every time.
- It spreads keys **uniformly** over the possible values, so that similar keys land in
  different buckets. This property is called **uniform hashing**.

# Probing

A **probe sequence** is the list of buckets a lookup visits in turn until it finds the key.
Then the table looks at the next bucket. It walks the buckets one by one, wrapping around at
the end. This rule is called **linear probing**.
"""


def test_a_list_items_pronoun_takes_the_subject_of_the_lead_in():
    defs = {c.name: c.definition for c in extract_concepts([read_bytes("h.md", PROPERTIES)])}
    assert defs["uniform hashing"] == (
        "A good hash function spreads keys **uniformly** over the possible values, so that "
        "similar keys land in different buckets. This property is called **uniform hashing**."
    )


def test_a_pronoun_outside_a_list_leaves_no_definition():
    defs = {c.name: c.definition for c in extract_concepts([read_bytes("h.md", PROPERTIES)])}
    # "It walks the buckets one by one ... This rule is called linear probing": what "It" is
    # the definition cannot show
    assert defs["linear probing"] == ""


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        # a likeness
        (
            "The `pd.concat` function provides a similar syntax to `np.concatenate` but "
            "contains a number of options that we'll discuss momentarily:",
            ["concatenation", "pd.concat", "concat"],
        ),
        # what it applies to here
        ("First, while *indexing* refers to columns, *slicing* refers to rows:", ["slicing"]),
        # how to recognise it
        (
            "To address this difficulty, Pandas later added *nullable dtypes*, which are "
            "distinguished from regular dtypes by capitalization of their names.",
            ["nullable dtype", "nullable dtypes"],
        ),
        # an aside qualifying it
        (
            "It can be thought of either as an *immutable array* or as an *ordered set* "
            "(technically a multiset, as `Index` objects may contain repeated values).",
            ["ordered set"],
        ),
        # what it does in a case set up elsewhere
        (
            "With this set to `True`, the concatenation will raise an exception if there are "
            "duplicate indices.",
            ["concatenation"],
        ),
        (
            "In practice, data from different sources might have different sets of column "
            "names, and `pd.concat` offers several options in this case.",
            ["pd.concat"],
        ),
    ],
)
def test_sentences_that_do_not_say_what_the_term_is(sentence, names):
    assert says_what(sentence, names) is False


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("The `iloc` attribute allows indexing by position.", ["iloc"]),
        ("When the **maximum load factor** is passed, the table grows.", ["maximum load factor"]),
        (
            "A hash function returns a whole number, called the key's **hash value** (or just "
            "its *hash*).",
            ["hash value"],
        ),
    ],
)
def test_sentences_that_say_what_the_term_is(sentence, names):
    assert says_what(sentence, names) is True


def test_a_docstrings_it_is_the_function_it_documents():
    code = b'''"""Buckets."""


def bucket_of(key: str, capacity: int) -> int:
    """It reduces the hash of the key to a bucket index below the capacity."""
    return hash(key) % capacity
'''
    defs = {c.name: c.definition for c in extract_concepts([read_bytes("buckets.py", code)])}
    assert defs["bucket_of"] == (
        "It reduces the hash of the key to a bucket index below the capacity."
    )
