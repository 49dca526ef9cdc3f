"""The reread line of feedback: the cited passage as a reader reads it."""

from __future__ import annotations

import pytest

from teachback.engine.protocol import Span
from teachback.tutor.grading.feedback import reread


@pytest.mark.parametrize(
    "quote",
    [
        "- Hash function: a deterministic function from keys to whole numbers.",
        "3. Hash function: a deterministic function from keys to whole numbers.",
        '"""Hash function: a deterministic function from keys to whole numbers.',
        '"""Hash function: a deterministic function from keys to whole numbers."""',
        "'''Hash function: a deterministic function from keys to whole numbers.'''  ",
    ],
)
def test_reread_quotes_the_passage_without_its_list_mark_or_docstring_quotes(quote):
    cite = Span(source="notes.md", start=0, end=len(quote), quote=quote)
    assert reread([cite]) == (
        "Reread: “Hash function: a deterministic function from keys to whole numbers.” "
        "(source notes.md)"
    )


def test_reread_keeps_a_passage_that_opens_with_its_words():
    quote = "-1 is returned when the key is missing."  # a number, not a list mark
    cite = Span(source="src-0a1b", start=0, end=len(quote), quote=quote)
    assert reread([cite]) == "Reread: “-1 is returned when the key is missing.”"
