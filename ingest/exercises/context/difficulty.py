"""What every kind computes the same way for one exercise: its difficulty (``difficulty``) and
its deterministic shuffle (``rng_for``)."""

from __future__ import annotations

import hashlib
import random

# Base difficulty per kind: recognising is easier than recalling, recalling than explaining.
KIND_BASE = {
    "true_false": 0.2,
    "multiple_choice": 0.3,
    "matching": 0.4,
    "which_function": 0.4,
    "cloze": 0.45,
    "function_purpose": 0.45,
    "ordering": 0.5,
    "predict_output": 0.55,
    "short_answer": 0.6,
}


def difficulty(
    kind: str,
    *,
    rarity: float = 0.5,
    words_count: int = 15,
    distractor_similarity: float | None = None,
    extra: float = 0.0,
) -> float:
    """Difficulty in [0.05, 0.95]:

    base(kind) + 0.25 * distractor_similarity + 0.2 * (rarity - 0.5)
               + 0.1 * clip((words - 15) / 25, -1, 1) + extra

    ``distractor_similarity`` (0..1) is how close the wrong options are to the key (choice
    kinds only); ``rarity`` (0..1) how rare the key's words are in the sources (rare terms are
    harder to recall); ``words`` the length of the sentence or item a learner must read.
    """
    d = KIND_BASE.get(kind, 0.5)
    if distractor_similarity is not None:
        d += 0.25 * max(0.0, min(1.0, distractor_similarity))
    d += 0.2 * (rarity - 0.5)
    d += 0.1 * max(-1.0, min(1.0, (words_count - 15) / 25))
    d += extra
    return round(max(0.05, min(0.95, d)), 3)


def rng_for(*parts: str) -> random.Random:
    """A deterministic random generator for one exercise (same input, same shuffle)."""
    seed = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
    return random.Random(int(seed, 16))
