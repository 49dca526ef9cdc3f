"""A technique named by a gerund phrase in a list of kinds ("masking, and fancy indexing") is
a concept the list teaches; a described part ("a collision resolution strategy") is not."""

from __future__ import annotations

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.concepts.enumerations import sibling_ok
from teachback.ingest.readers import read_bytes

NOTES = b"""# Selecting values

Arrays offer four ways to select values: indexing, slicing, masking, and fancy indexing.
**Masking** selects the values where a Boolean array is true. With fancy indexing you pass
a list of positions, and fancy indexing returns the values at those positions in that order.

# Selecting rows of a table

A table supports the same patterns: slicing, masking, and fancy indexing. Fancy indexing
with a list of labels picks whole rows, and masking with a condition on a column keeps the
rows where it holds.
"""


def test_a_gerund_phrase_listed_among_kinds_is_a_concept():
    names = {c.name for c in extract_concepts([read_bytes("select.md", NOTES)])}
    assert {"masking", "fancy indexing"} <= names


def test_list_members_that_can_stand_as_concepts():
    assert sibling_ok("fancy indexing") and sibling_ok("linear probing")
    assert not sibling_ok("running")  # a lone gerund is mostly a verb
