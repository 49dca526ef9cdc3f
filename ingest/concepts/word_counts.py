"""How often texts use a word or its plural as a whole word, in any case: the count of
``re.findall(rf"\\b{re.escape(word)}s?\\b", text, re.I)``, read from one index of the texts'
word runs instead of a pass over them per word."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_WORD_RUN = re.compile(r"\w+")
# The characters outside ASCII that ``re.I`` matches with an ASCII letter ("K", the Kelvin
# sign, with "k"; the long "ſ" with "s"): a run holding one may spell an ASCII word.
_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")


class WordCounts:
    """Whole-word counts of ``texts`` (a word followed by an optional "s", any case)."""

    def __init__(self, texts: Iterable[str]):
        self.texts = list(texts)
        runs: Counter = Counter()
        for text in self.texts:
            runs.update(_WORD_RUN.findall(text))
        self._ascii: Counter = Counter()  # lower-cased ASCII run -> occurrences
        self._odd: Counter = Counter()  # a run with a character of _FOLDS_TO_ASCII
        for run, n in runs.items():
            if run.isascii():
                self._ascii[run.lower()] += n
            elif all(ch.isascii() or ch in _FOLDS_TO_ASCII for ch in run):
                self._odd[run] += n

    def of(self, word: str) -> int:
        """Occurrences of ``word`` or ``word`` + "s" as a whole word, in any case."""
        pattern = re.compile(rf"\b{re.escape(word)}s?\b", re.I)
        if not (word.isascii() and _WORD_RUN.fullmatch(word)):
            # a word with other characters ("c++", "naïve"): its bounds are not those of a run
            return sum(len(pattern.findall(t)) for t in self.texts)
        # a match of an ASCII word spans one whole run: the word, or the word and an "s"
        low = word.lower()
        odd = sum(n for run, n in self._odd.items() if pattern.fullmatch(run))
        return self._ascii[low] + self._ascii[low + "s"] + odd
