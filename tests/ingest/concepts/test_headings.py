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


def test_a_heading_naming_an_api_by_its_kind_or_an_aspect_names_its_topic():
    from teachback.ingest.concepts.headings import heading_terms

    assert heading_terms("The append Method") == ["append"]
    assert heading_terms("The suffixes Keyword") == ["suffixes"]
    assert heading_terms("The on Keyword") == []  # a stop word, not a term
    assert heading_terms("Specifying Set Arithmetic for Joins") == heading_terms(
        "Set Arithmetic for Joins"
    )


def test_a_heading_that_is_one_indefinite_noun_phrase_introduces_an_example():
    from teachback.ingest.concepts.headings import heading_terms

    assert heading_terms("A Multiply Indexed Series") == []
    assert heading_terms("An Example") == []
    # with a preposition or a list it names its topics as usual
    assert heading_terms("A Tour of Hash Tables") == ["Tour of Hash Tables"]
    assert heading_terms("A list, array, series, or index providing the grouping keys") == [
        "list",
        "array",
        "series",
    ]
    assert heading_terms("Multiply Indexed Series") == ["Multiply Indexed Series"]


def test_handling_a_topic_is_the_topic():
    assert heading_terms("Handling Missing Data") == ["Missing Data"]
    assert heading_terms("Working with Time Series") == ["Time Series"]
