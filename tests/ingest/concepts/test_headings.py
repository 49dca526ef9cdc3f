"""Heading terms: a generic word that opens a title is part of it unless the rest is generic."""

from __future__ import annotations

from teachback.ingest.concepts.headings import heading_terms
from teachback.ingest.concepts.lexicon import clean_term


def test_a_generic_word_opening_a_title_is_part_of_the_term():
    assert heading_terms("Ufuncs: Index Alignment") == ["Ufuncs", "Index Alignment"]
    assert heading_terms("Summary Statistics") == ["Summary Statistics"]
    assert heading_terms("Review Questions") == []


def test_in_running_text_a_glued_heading_word_is_dropped():
    assert clean_term("Guidance point") == "point"
    assert clean_term("Index Alignment") == "Alignment"
