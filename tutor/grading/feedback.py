"""Feedback a learner can act on: what was right, what was missing, what to reread.

>>> from teachback.engine.protocol import Span
>>> reread([Span(source="notes.md", start=0, end=9, quote="A pointer holds an address.")])
'Reread: “A pointer holds an address.” (source notes.md)'
"""

from __future__ import annotations

from teachback.engine.protocol import Span, Verdict

OPENING = {"correct": "Correct.", "partly": "Partly right.", "incorrect": "Not quite."}
MAX_QUOTE = 240


# Verdict bands on the 0-1 score. 0.70 / 0.45 agree best with the dev set's human graders among
# the bands tried (0.65-0.75 x 0.30-0.45, on cross-validated scores; docs/bench-grading.md) while
# keeping answers capped by the "no key point" rule (0.3) incorrect.
CORRECT_AT, PARTLY_AT = 0.70, 0.45


def verdict_for(score: float, correct: float = CORRECT_AT, partly: float = PARTLY_AT) -> Verdict:
    if score >= correct:
        return "correct"
    if score >= partly:
        return "partly"
    return "incorrect"


def _short(text: str, limit: int = MAX_QUOTE) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _item(text: str) -> str:
    """A key point inside a sentence: shortened, without its own final punctuation."""
    return _short(text, 120).rstrip(" .;:")


def _sentence(text: str) -> str:
    return text if text.endswith("…") else text + "."


def reread(citations: list[Span], prefix: str = "Reread") -> str:
    """'Reread: “<quote>” (source <source>)' for the first citation, '' when there is none."""
    for c in citations:
        if c.quote.strip():
            return f"{prefix}: “{_short(c.quote)}” (source {c.source})"
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
        missing = _sentence("Missing: " + "; ".join(_item(m) for m in missing)) if missing else ""
    if missing:
        parts.append(missing)
    if expected and verdict != "correct":
        parts.append(f"Expected: {_short(expected)}")
    prefix = "Reread" if verdict != "correct" or missing else "Source"
    parts.append(reread(citations or [], prefix))
    parts.extend(notes or [])
    return " ".join(p.strip() for p in parts if p and p.strip())
