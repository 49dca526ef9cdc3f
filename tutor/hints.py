"""Offline help while a learner works: a Socratic hint for an exercise, and an explanation of a
concept "in other words". Pure functions of their inputs; the LLM engine writes its own and
falls back to these (engine/openai_engine/).

A hint must never give the answer away, so the offline hint shows the passage the exercise was
written from with the key blanked out, and asks what fits the gap: the learner still has to
find the answer, but now knows where to look. A short key (a term, an option) is blanked as a
phrase; a long one (a sentence, as short-answer keys are) word by word: its content words that
the question does not already show, so the passage becomes a cloze of the answer.
"""

from __future__ import annotations

import re

from teachback.core.kinds import fixed_options
from teachback.engine.answer_check import (
    LONG_KEY_WORDS,
    MARKUP,
    WORD,
    answer_keys,
    answer_words,
    gives_answer_away,
)
from teachback.engine.protocol import ExerciseDraft, Span

GAP = "_____"
QUOTE_CHARS = 240


def mask_keys(text: str, exercise: ExerciseDraft, *, long_keys: bool = True) -> tuple[str, bool]:
    """``text`` with the exercise's key blanked out; and whether anything was.

    Short keys: every occurrence of the phrase, case-insensitive, whole words only (a key
    "heap" does not blank "heaps"). Long keys: each of their answer words (``answer_words``),
    unless ``long_keys`` is False (text around the answer, not the answer itself).
    """
    text = MARKUP.sub("", text)
    masked = False
    for key in answer_keys(exercise):
        if len(key.split()) <= LONG_KEY_WORDS:
            pattern = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)", re.I)
            text, n = pattern.subn(GAP, text)
            masked = masked or n > 0
            continue
        words = answer_words(key, exercise) if long_keys else set()
        if words:
            pattern = re.compile(
                r"(?<!\w)(" + "|".join(map(re.escape, sorted(words))) + r")(?!\w)", re.I
            )
            text, n = pattern.subn(GAP, text)
            masked = masked or n > 0
    return text, masked


_DOCSTRING_QUOTES = re.compile(r'[rbuRBU]?("""|\'\'\')')
_COMMENT = re.compile(r"^\s*#+\s?", re.M)


def clean_quote(text: str, *, keep_lines: bool = False) -> str:
    """A quoted passage as prose: no Markdown emphasis marks, no docstring quotes, no comment
    signs; one line, or with ``keep_lines`` paragraphs and list items a line each.
    ``'\"\"\"Chained: a list per bucket.\"\"\"'`` -> ``'Chained: a list per bucket.'``"""
    text = _DOCSTRING_QUOTES.sub("", str(text))
    text = _COMMENT.sub("", text)
    text = MARKUP.sub("", text)
    if not keep_lines:
        return " ".join(text.split())
    return "\n".join(_paragraphs(text))


_LIST_ITEM = re.compile(r"^\s*(?:[*+-]|\d+[.)])\s+")


def _paragraphs(text: str) -> list[str]:
    """Lines of prose joined into paragraphs, list items kept one a line (``"* item"``);
    a hard-wrapped source line is not a paragraph of its own."""
    out: list[str] = []
    joining = False  # whether the next plain line continues the last paragraph or item
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            joining = False
            continue
        if _LIST_ITEM.match(raw):
            out.append("* " + _LIST_ITEM.sub("", raw).strip())
            joining = True
        elif joining and out:
            out[-1] += " " + line
        else:
            out.append(line)
            joining = True
    return out


def _quote_block(text: str, limit: int) -> str:
    """Paragraphs and list items (``clean_quote(keep_lines=True)``) as a Markdown block quote,
    cut after about ``limit`` characters."""
    out, used = [], 0
    for line in text.splitlines():
        if used + len(line) > limit and out:
            out.append("\u2026")
            break
        out.append(_shorten(line, limit))
        used += len(line)
    quoted = []
    for i, line in enumerate(out):
        if i and not (line.startswith("* ") and out[i - 1].startswith("* ")):
            quoted.append(">")  # a paragraph break inside the quote
        quoted.append(f"> {line}")
    return "\n".join(quoted)


def _repeats(text: str, prompt: str, share: float = 0.7) -> bool:
    """Whether ``text`` mostly says what the question already shows (a useless hint)."""
    said = {w.lower() for w in WORD.findall(text) if len(w) > 2}
    shown = {w.lower() for w in WORD.findall(prompt)}
    return bool(said) and len(said & shown) >= share * len(said)


def _shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def offline_hint(exercise: ExerciseDraft, answer: str = "") -> str:
    """A Socratic nudge towards the passage the exercise comes from, never the key."""
    del answer  # the offline hint is the same whatever was answered
    if not exercise.citations:
        return (
            "Go back to the lesson for this concept: which sentence of it is the question "
            "about? Reread that sentence slowly and try again."
        )
    # Prefer a passage that contains the key: blanking it points straight at what to find.
    quotes = [clean_quote(c.quote) for c in exercise.citations if c.quote.strip()]
    for quote in quotes:
        masked, hit = mask_keys(_shorten(quote, 2 * QUOTE_CHARS), exercise)
        if hit and not _repeats(masked, exercise.prompt):
            return f"Reread this passage: “{_shorten(masked)}” What belongs in the gap?"
    if quotes and _repeats(mask_keys(quotes[0], exercise)[0], exercise.prompt):
        # The question is the passage with a gap: showing it again would tell nothing new.
        about = (
            f"about “{exercise.concept}” "
            if not gives_answer_away(exercise.concept, exercise)
            else ""
        )
        return (
            f"The question is taken from the source's own sentence {about}in the lesson: "
            "find it there, and read what comes just before it."
        )
    quote, _ = mask_keys(_shorten(quotes[0]) if quotes else "", exercise)
    if fixed_options(exercise.kind):  # a statement to judge against the passage
        return (
            f"Compare the statement with what the source says: “{quote}” "
            "Does the source agree with every part of the statement?"
        )
    if exercise.choices:
        return (
            f"Reread this passage: “{quote}” Which option does it actually support, and "
            "what is wrong with each of the others?"
        )
    return f"Reread this passage: “{quote}” Which words in it answer the question?"


def offline_explanation(name: str, passages: list[Span]) -> str:
    """The concept "in other words" without a model: what the sources say about it, quoted,
    one passage per paragraph (the lesson already shows the stored text)."""
    quotes = []
    for p in passages[:3]:
        quote = _quote_block(clean_quote(p.quote, keep_lines=True), 2 * QUOTE_CHARS)
        if quote and quote not in quotes:
            quotes.append(quote)
    if not quotes:
        return f"The sources say no more about “{name}” than the lesson above."
    return f"What the sources say about “{name}”, in their own words:\n\n" + "\n\n".join(quotes)


__all__ = [
    "clean_quote",
    "mask_keys",
    "offline_explanation",
    "offline_hint",
]
