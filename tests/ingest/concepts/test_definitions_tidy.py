"""A one-sentence definition ends where it stops defining the term: a clause pointing ahead,
a second clause about another named thing and the colon that opened onto code are left out."""

from __future__ import annotations

import pytest

from teachback.ingest.concepts.drafts import _tidy


@pytest.mark.parametrize(
    ("definition", "names", "tidy"),
    [
        (
            "The `index` is an array-like object of type `pd.Index`, which we'll discuss in "
            "more detail momentarily:",
            ["index"],
            "The `index` is an array-like object of type `pd.Index`.",
        ),
        (
            "A dictionary is a structure that maps arbitrary keys to a set of arbitrary values, "
            "and a `Series` is a structure that maps typed keys to a set of typed values.",
            ["dictionary"],
            "A dictionary is a structure that maps arbitrary keys to a set of arbitrary values.",
        ),
        (
            "The `iloc` attribute allows indexing and slicing that always references the "
            "implicit Python-style index:",
            ["iloc"],
            "The `iloc` attribute allows indexing and slicing that always references the "
            "implicit Python-style index.",
        ),
        # the second clause is the definition of this term: kept
        (
            "The search is called **probing**, and the sequence of buckets it visits is the "
            "key's **probe sequence**.",
            ["probe sequence"],
            "The search is called **probing**, and the sequence of buckets it visits is the "
            "key's **probe sequence**.",
        ),
        # a second clause with no other named thing is part of the definition
        (
            "**Open addressing** is a strategy in which every entry is stored in the array, and "
            "a key whose bucket is taken is placed in another free bucket.",
            ["open addressing"],
            "**Open addressing** is a strategy in which every entry is stored in the array, and "
            "a key whose bucket is taken is placed in another free bucket.",
        ),
        # several sentences are said as the material says them
        (
            "It is one. And it is used here:",
            ["x"],
            "It is one. And it is used here:",
        ),
    ],
)
def test_tidy(definition, names, tidy):
    assert _tidy(definition, names) == tidy
