"""A definition that points back ("This property is called ...") keeps the sentence it points
to, so that it says what the term is."""

from __future__ import annotations

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.readers import read_bytes

HASHING = b"""# Hash functions

A good hash function spreads keys evenly over the buckets, so that similar keys land in
different buckets. This property is called **uniform hashing**. Uniform hashing keeps every
bucket short, and a hash function without uniform hashing makes a slow table.

# Searching a list

To look up a key you walk the list and compare every key until you find a match. That is a
**linear search**: its cost grows with the number of items. A linear search is fine for a
short list.
"""


def test_a_definition_that_points_back_keeps_its_antecedent():
    defs = {c.name: c.definition for c in extract_concepts([read_bytes("hash.md", HASHING)])}
    assert defs["uniform hashing"] == (
        "A good hash function spreads keys evenly over the buckets, so that similar keys land "
        "in different buckets. This property is called **uniform hashing**."
    )
    assert defs["linear search"] == (
        "To look up a key you walk the list and compare every key until you find a match. "
        "That is a **linear search**: its cost grows with the number of items."
    )


ALIGNMENT = b"""# Operations

## Index Alignment in Series

For binary operations on two Series objects, Pandas will align indices in the process of
performing the operation. The result holds the union of the two indices, and a label missing
on one side gives NaN in the result.

## Index Alignment in DataFrames

A similar alignment of indices takes place for both columns and indices when you are
performing operations on DataFrames: labels are matched on both axes before adding.
"""


def test_a_term_only_headings_name_is_explained_by_its_section_opening():
    concepts = {c.name: c for c in extract_concepts([read_bytes("ops.md", ALIGNMENT)])}
    alignment = concepts["index alignment"]
    assert alignment.definition == (
        "For binary operations on two Series objects, Pandas will align indices in the "
        "process of performing the operation."
    )
    assert [e.role for e in alignment.evidence] == ["mention"]
