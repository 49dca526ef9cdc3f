"""Feedback a learner can act on: what was right, what was missing, what to reread.

>>> from teachback.engine.protocol import Span
>>> reread([Span(source="notes.md", start=0, end=9, quote="A pointer holds an address.")])
'Reread: “A pointer holds an address.” (source notes.md)'
"""

from __future__ import annotations

import re

from teachback.engine.protocol import Span, Verdict

OPENING = {"correct": "Correct.", "partly": "Partly right.", "incorrect": "Not quite."}
MAX_QUOTE = 240


def _short(text: str, limit: int = MAX_QUOTE) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _item(text: str) -> str:
    """A key point inside a sentence: shortened, without its own final punctuation."""
    return _short(text, 120).rstrip(" .;:")


def _sentence(text: str) -> str:
    return text if text.endswith("…") else text + "."


def _same_text(expected: str, passage: str) -> bool:
    """Whether the passage quotes an expected answer of a sentence or more (a short key such as
    an option's text is still named: the passage may mention every option)."""
    norm = " ".join(expected.lower().split()).rstrip(" .")
    return len(norm.split()) >= 6 and norm in " ".join(passage.lower().split())


def said_and_covered(said: dict[str, str]) -> str:
    """What was right, in the learner's words: each clause of theirs quoted once with the key
    points it covers. A clause that is the key point itself is named once, not quoted.

    >>> said_and_covered({"the name of the function": "its name", "the types": "their types"})
    'You said “its name”, which covers: the name of the function. And “their types”: the types.'
    >>> said_and_covered({"A variable holding an address": "a variable holding an address"})
    'You covered: A variable holding an address.'
    """
    by_clause: dict[str, list[str]] = {}
    for point, clause in said.items():
        by_clause.setdefault(clause, []).append(point)
    verbatim = [ps[0] for c, ps in by_clause.items() if len(ps) == 1 and _words(c) == _words(ps[0])]
    quoted = [(c, ps) for c, ps in by_clause.items() if ps[0] not in verbatim or len(ps) > 1]
    parts = []
    for i, (clause, points) in enumerate(quoted):
        items = "; ".join(_item(p) for p in points)
        lead = "You said “{}”, which covers: {}" if i == 0 else "And “{}”: {}"
        parts.append(_sentence(lead.format(_short(clause, 160).rstrip(" .;:"), items)))
    if verbatim:
        lead = "You also covered: " if quoted else "You covered: "
        parts.append(_sentence(lead + "; ".join(_item(p) for p in verbatim)))
    return " ".join(parts)


def _words(text: str) -> list[str]:
    return [w for w in "".join(c if c.isalnum() else " " for c in text.lower()).split()]


# What opens a quoted line but is not what it says: a list item's mark, a docstring's quotes.
_LEAD_MARK = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|\"\"\"|''')")


_TAIL_MARK = re.compile(r"\s*(?:\"\"\"|\'\'\')\s*$")  # a docstring's closing quotes


def _unmarked(quote: str) -> str:
    return _TAIL_MARK.sub("", _LEAD_MARK.sub("", quote, count=1))


def reread(citations: list[Span], prefix: str = "Reread") -> str:
    """'Reread: “<quote>” (source <source>)' for the first citation, '' when there is none;
    a store's source id (``src-`` and hex digits) names nothing a person knows, so it is left
    out ('Reread: “<quote>”'; the tutor shows the source's title beside it)."""
    for c in citations:
        if c.quote.strip():
            where = "" if re.fullmatch(r"src-[0-9a-f]+", c.source) else f" (source {c.source})"
            return f"{prefix}: “{_short(_unmarked(c.quote))}”{where}"
    return ""


def compose(
    verdict: Verdict,
    right: list[str] | str | None = None,
    missing: list[str] | str | None = None,
    citations: list[Span] | None = None,
    expected: str = "",
    notes: list[str] | None = None,
) -> str:
    """One paragraph: opening, what was right, what was missing, expected answer, reread, notes."""
    parts = [OPENING[verdict]]
    if isinstance(right, list):
        right = _sentence("You covered: " + "; ".join(_item(r) for r in right)) if right else ""
    if right:
        parts.append(right)
    if isinstance(missing, list):
        # A correct answer can still leave points out: name them as what a full answer adds.
        lead = "A full answer also says: " if verdict == "correct" else "Missing: "
        missing = _sentence(lead + "; ".join(_item(m) for m in missing)) if missing else ""
    if missing:
        parts.append(missing)
    passage = reread(citations or [])
    if expected and verdict != "correct" and not _same_text(expected, passage):
        # Said once: the passage to reread already quotes the expected answer.
        parts.append(f"Expected: {_sentence(_short(expected).rstrip(' .;:'))}")
    prefix = "Reread" if verdict != "correct" or missing else "Source"
    parts.append(reread(citations or [], prefix))
    parts.extend(notes or [])
    return " ".join(p.strip() for p in parts if p and p.strip())
