"""Whether a text gives an exercise's answer away: the check every hint must pass, the offline
hints (``teachback.tutor.hints``) and a model's hints alike.

An exercise's *keys* are the strings that would give the answer away if shown: the answer, the
accepted alternatives, the right side of each matching pair. A short key (up to
``LONG_KEY_WORDS`` words) counts as given away when the text states it as a phrase; a long one
(a sentence, as short-answer keys are) when the text says most of its *answer words*, the
content words of the key that the question does not already show.

Example: for the key "a hash function" a text saying "use a hash function" gives it away;
"hash it" does not.
"""

from __future__ import annotations

import re

from teachback.core.text import FUNCTION_WORDS
from teachback.engine.protocol import ExerciseDraft

LONG_KEY_WORDS = 4  # keys of more words are checked word by word
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'-]*")
MARKUP = re.compile(r"(\*\*|__|`)")  # Markdown emphasis and code marks, shown as plain text


def answer_keys(exercise: ExerciseDraft) -> list[str]:
    """The strings that would give the answer away if shown (longest first)."""
    answer = exercise.answer
    if isinstance(answer, bool):
        return []
    keys = [answer] if isinstance(answer, str) else [str(a).split("=>")[-1] for a in answer]
    keys += [str(a) for a in (exercise.data or {}).get("accepted") or []]
    keys = [MARKUP.sub("", k).strip().rstrip(".") for k in keys if k]
    return sorted({k for k in keys if len(k) >= 3}, key=len, reverse=True)


def answer_words(key: str, exercise: ExerciseDraft) -> set[str]:
    """A long key's content words that the question does not already show."""
    shown = {w.lower() for w in WORD.findall(exercise.prompt)}
    return {
        w.lower()
        for w in WORD.findall(key)
        if len(w) >= 4 and w.lower() not in FUNCTION_WORDS and w.lower() not in shown
    }


def gives_answer_away(text: str, exercise: ExerciseDraft, share: float = 0.6) -> bool:
    """Whether ``text`` states the answer: a short key as a phrase, or most (``share``) of a
    long key's answer words."""
    plain = MARKUP.sub("", text)
    for key in answer_keys(exercise):
        if len(key.split()) <= LONG_KEY_WORDS:
            if re.search(rf"(?<!\w){re.escape(key)}(?!\w)", plain, re.I):
                return True
            continue
        words = answer_words(key, exercise)
        said = {w.lower() for w in WORD.findall(plain)}
        if words and len(words & said) >= share * len(words):
            return True
    return False
