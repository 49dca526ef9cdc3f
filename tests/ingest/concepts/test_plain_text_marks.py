"""Plain text has no bold or italics: the terms its author introduces are set in quotation
marks, and its headings are often sentences that name their topic after the verb."""

from __future__ import annotations

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.concepts.headings import heading_terms
from teachback.ingest.concepts.signals import quoted_terms
from teachback.ingest.readers import read_bytes

PODCAST = """Working with agents

He hands whole tasks to agents now. These are the \u201cmacro-actions\u201d of his day: one agent
researches a question, one writes the code, one reviews it. A macro-action takes about twenty
minutes, and he checks every macro-action before the next one starts.

When the first one failed he said \u201cwow, cool\u201d and started again. He thinks the next
\u201cbig thing\u201d is memory, a word he used once.
""".encode()


def test_a_term_in_quotation_marks_that_the_text_takes_up_again_is_a_concept():
    names = {c.name for c in extract_concepts([read_bytes("podcast.txt", PODCAST)])}
    assert "macro-action" in names
    assert "big thing" not in names  # quoted once, never used again
    assert not any("wow" in n for n in names)  # an utterance, not a term


def test_quoted_terms_are_short_noun_phrases():
    text = 'a state of "mental disorder," he said: "wow, cool". Is it "jagged"? "Is AI good?"'
    assert quoted_terms(text, 0, len(text)) == [("mental disorder", 12)]


def test_a_heading_written_as_a_sentence_names_its_topic_after_the_verb():
    assert heading_terms("03. \u201cEverything Should Be an API Endpoint\u201d") == ["API Endpoint"]
    assert heading_terms("01. Mostly a Skill Issue!") == ["Skill Issue"]
    assert heading_terms("What Is a Hash Table?") == ["Hash Table"]
    assert heading_terms("Hash Tables in Practice") == ["Hash Tables"]
