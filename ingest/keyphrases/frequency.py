"""How common a word is in general English (``wordfreq``'s Zipf values): rare words make
better keyphrases, and many concept filters ask how ordinary a word is."""

from __future__ import annotations

import math
import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """wordfreq's English word frequencies (shipped inside the package; loaded once, ~1 s)."""
    try:
        from wordfreq import get_frequency_dict
    except ImportError:  # optional: without wordfreq every word counts as mid-frequency
        return {}
    return get_frequency_dict("en", wordlist="best")


_PARTS = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def listed_words(words: list[str]) -> list[str]:
    """The lower-case ``words`` wordfreq lists (the others have ``zipf`` 0), found without
    computing their frequency; all of them without wordfreq (every word is then
    mid-frequency)."""
    freqs = _frequencies()
    return [w for w in words if w in freqs] if freqs else words


@lru_cache(maxsize=4)
def common_ends(min_zipf: float) -> frozenset[tuple[str, str]] | None:
    """``(first two, last two characters)`` of each listed word whose ``zipf`` may reach
    ``min_zipf`` (a margin below it covers ``zipf``'s rounding): a word whose ends are not in
    the set is rarer, found with two slices instead of a look-up per candidate word. None
    without wordfreq (every word is then listed).

    >>> ("ci", "ce") in common_ends(3.0)  # "circumference"
    True
    """
    freqs = _frequencies()
    if not freqs:
        return None
    least = 10 ** (min_zipf - 9.0 - 0.01)
    return frozenset((w[:2], w[-2:]) for w, f in freqs.items() if f >= least)


@lru_cache(maxsize=500_000)
def zipf(word: str) -> float:
    """Zipf frequency (0..8) of a word or phrase in general English, like
    ``wordfreq.zipf_frequency`` (parts of a hyphenated word combine as 1/sum(1/f))."""
    freqs = _frequencies()
    if not freqs:
        return 4.0
    parts = _PARTS.findall(word.lower())
    if not parts:
        return 0.0
    inv = 0.0
    for p in parts:
        f = freqs.get(p, 0.0)
        if f <= 0.0:
            return 0.0
        inv += 1.0 / f
    return round(max(0.0, math.log10(1.0 / inv) + 9.0), 2)


@lru_cache(maxsize=200_000)
def rarity(word: str) -> float:
    """1 - Zipf/8 of a word in general English (wordfreq); unknown words are 1.0 (rare)."""
    return max(0.0, 1.0 - zipf(word) / 8.0)
