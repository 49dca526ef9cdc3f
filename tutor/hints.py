"""Offline help while a learner works: a Socratic hint for an exercise, and an explanation of a
concept "in other words". Pure functions of their inputs; the LLM engine writes its own and
falls back to these (engine/openai_engine.py).

A hint must never give the answer away, so the offline hint shows the passage the exercise was
written from with the key blanked out, and asks what fits the gap: the learner still has to
find the word, but now knows where to look.
"""

from __future__ import annotations

import re

from teachback.engine.protocol import ExerciseDraft, Span

GAP = "_____"
QUOTE_CHARS = 240


def _keys(exercise: ExerciseDraft) -> list[str]:
    """The strings that would give the answer away if shown (longest first)."""
    answer = exercise.answer
    if isinstance(answer, bool):
        return []
    keys = [answer] if isinstance(answer, str) else [str(a).split("=>")[-1] for a in answer]
    keys += [str(a) for a in (exercise.data or {}).get("accepted") or []]
    keys = [k.strip() for k in keys if k and len(k.strip()) >= 3]
    return sorted(set(keys), key=len, reverse=True)


def mask_keys(text: str, exercise: ExerciseDraft) -> tuple[str, bool]:
    """``text`` with every occurrence of the exercise's key replaced by a gap; and whether any
    was. Case-insensitive, whole words only (a key "heap" does not blank "heaps" of text)."""
    masked = False
    for key in _keys(exercise):
        pattern = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)", re.I)
        text, n = pattern.subn(GAP, text)
        masked = masked or n > 0
    return text, masked


def _shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def gives_answer_away(text: str, exercise: ExerciseDraft) -> bool:
    """Whether a hint states the key outright (a model's hint is checked with this)."""
    return mask_keys(text, exercise)[1]


def offline_hint(exercise: ExerciseDraft, answer: str = "") -> str:
    """A Socratic nudge towards the passage the exercise comes from, never the key."""
    del answer  # the offline hint is the same whatever was answered
    if not exercise.citations:
        return (
            "Go back to the lesson for this concept: which sentence of it is the question "
            "about? Reread that sentence slowly and try again."
        )
    # Prefer a passage that contains the key: blanking it points straight at what to find.
    quotes = [c.quote for c in exercise.citations if c.quote.strip()]
    for quote in quotes:
        masked, hit = mask_keys(_shorten(quote, 2 * QUOTE_CHARS), exercise)
        if hit:
            return f"Reread this passage: “{_shorten(masked)}” What belongs in the gap?"
    quote, _ = mask_keys(_shorten(quotes[0]) if quotes else "", exercise)
    if exercise.kind == "true_false":
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
        quote = _shorten(p.quote, 2 * QUOTE_CHARS)
        if quote and quote not in quotes:
            quotes.append(quote)
    if not quotes:
        return f"The sources say no more about “{name}” than the lesson above."
    return f"What the sources say about “{name}”, in their own words:\n\n" + "\n\n".join(
        f"> {q}" for q in quotes
    )


__all__ = ["gives_answer_away", "mask_keys", "offline_explanation", "offline_hint"]
