"""Where a sentence gives an example rather than the idea: "similar keys such as `"user1"` and
`"user2"`", "(e.g. SHA-256)", "for example, ...". A question tests the idea; an example's
tokens are not what a learner must say back ("user1" as a rubric point of "what is uniform
hashing?").

Only marked examples are found: a phrase led by "such as", "e.g.", "for example" or "for
instance" (to the end of its clause), and a string literal in code marks (`"user1"`). A number
or a name the sentence states as its claim ("constant, written O(1)") is not an example.
"""

from __future__ import annotations

import re

from teachback.core.text import fold

_LEAD = re.compile(r"\b(?:such as|e\.\s?g\.|for example|for instance)[\s,:]+", re.I)
# where an example phrase ends: a clause mark, or the verb of the sentence it sits in
_END = re.compile(r"[;:.()\u2014]|,\s|\s(?:land|lands|are|is|was|were|have|has|go|goes)\b")
_LITERAL = re.compile(r"`\s*[\"'][^`]*[\"']\s*`")


def example_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each marked example in ``text``.

    >>> example_spans('similar keys such as `"user1"` and `"user2"` land apart')
    [(13, 44), (21, 30), (35, 44)]
    """
    spans = []
    for m in _LEAD.finditer(text):
        end = _END.search(text, m.end())
        spans.append((m.start(), end.start() if end else len(text)))
    spans += [(m.start(), m.end()) for m in _LITERAL.finditer(text)]
    return spans


def from_examples(points: list[str], text: str) -> list[str]:
    """The ``points`` (rubric phrases) found in ``text`` only inside its examples."""
    spans = example_spans(text)
    if not spans:
        return []
    low = fold(text).lower()
    out = []
    for point in points:
        needle = fold(point).lower().strip(" .,`\"'")
        if not needle:
            continue
        found = [m.start() for m in re.finditer(re.escape(needle), low)]
        inside = [any(a <= i and i + len(needle) <= b for a, b in spans) for i in found]
        if found and all(inside):
            out.append(point)
    return out
