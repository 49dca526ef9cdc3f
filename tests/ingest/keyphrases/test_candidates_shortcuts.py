"""Shortcuts taken for speed in keyphrase candidates give what the long way gives."""

from teachback.core.text import sentences
from teachback.ingest.keyphrases.candidates import Candidate, candidates

TEXT = (
    "A hash table maps keys to values. Hash tables resize when full.\n\n"
    "Linear probing tries the next bucket. A hash table with linear probing clusters."
)
SPANS = [(0, 63), (65, len(TEXT))]


def test_sentences_given_by_the_caller_give_the_same_candidates():
    given = [sentences(TEXT, a, b) for a, b in SPANS]
    with_given = candidates(TEXT, spans=SPANS, sentence_spans=given)
    found = candidates(TEXT, spans=SPANS)
    assert list(with_given) == list(found)
    assert [vars(c) for c in with_given.values()] == [vars(c) for c in found.values()]
    assert found["hash tabl"].sentences == {0, 1, 3}


def test_surface_is_the_most_frequent_form_the_first_of_equals():
    c = Candidate(key="hash tabl", words=("hash", "table"))
    c.surfaces = {"hash table": 1}
    assert c.surface == "hash table"
    c.surfaces = {"hash table": 1, "hash tables": 2, "Hash tables": 2}
    assert c.surface == "hash tables"
    c.surfaces = {"Hash table": 3, "hash table": 3}
    assert c.surface == "Hash table"
