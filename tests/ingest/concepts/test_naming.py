"""A concept's name: a phrase capitalised only at sentence starts and in bold labels is lower
case; a name the material capitalises mid-sentence keeps its capital."""

from __future__ import annotations

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.concepts.naming import sentence_case
from teachback.ingest.readers import read_bytes

PROBING = b"""# Probing

Open addressing stores every entry in the bucket array itself. **Linear probing** tries the
next bucket, then the one after it, until it finds an empty bucket.

Other probing rules reduce clustering. **Quadratic probing** tries buckets at square offsets.
Quadratic probing spreads the entries of one bucket further apart.

The rule was described by Knuth in his book, and Knuth compares both rules there.
"""


def test_a_sentence_start_capital_is_not_a_name():
    names = {c.name for c in extract_concepts([read_bytes("probing.md", PROBING)])}
    assert "quadratic probing" in names
    assert "Quadratic probing" not in names


def test_sentence_case_keeps_names_acronyms_and_code():
    assert sentence_case("Quadratic probing", set()) == "quadratic probing"
    assert sentence_case("Rehashing", set()) == "rehashing"
    assert sentence_case("Knuth", {"Knuth"}) == "Knuth"  # capitalised mid-sentence: a name
    assert sentence_case("Dijkstra", set()) == "Dijkstra"  # not an English word
    assert sentence_case("NumPy array", set()) == "NumPy array"
    assert sentence_case("AI psychosis", set()) == "AI psychosis"
