"""Which words say the opposite of which: antonyms, quantities and other kinds of one thing.

An answer can keep every word of the reference but one and state its opposite ("a new,
*smaller* bucket array, usually *half* the old capacity" for "a new, *larger* bucket array,
usually *twice* the old capacity"). Embeddings place such words close together (they appear in
the same contexts), so the grader looks them up instead:

- antonyms from WordNet (large/small, keep/lose, include/exclude), compared by lemma so that
  inflections count ("larger"/"smaller");
- multiplying quantities said in words (twice/half, double/triple);
- nouns that WordNet lists as different kinds of one thing (the set operations union and
  intersection): one put where the reference has the other names a different thing.

The word lists are ``opposites.json`` next to this file, built from WordNet by
``scripts/build_opposites.py`` (nothing is read from the network or the system at run time).

>>> opposed("larger", "smaller"), opposed("larger", "bigger")
(True, False)
>>> other_kind("intersection", "union"), other_kind("union", "sum")
(True, False)

Not handled: multi-word opposites ("from scratch" / "pretrained"), opposites WordNet does not
list (fills / drops), and languages other than English.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path

from lemminflect import getAllLemmas

DATA_PATH = Path(__file__).with_name("opposites.json")

# Multiplying quantities in words: two different ones in the same place are a changed quantity.
QUANTITIES = {
    "half": 0.5,
    "halve": 0.5,
    "quarter": 0.25,
    "twice": 2.0,
    "double": 2.0,
    "twofold": 2.0,
    "thrice": 3.0,
    "triple": 3.0,
    "threefold": 3.0,
    "quadruple": 4.0,
    "fourfold": 4.0,
}

# Counts in words or digits ("one-dimensional", "2D"): a different count in the learner's
# clause than in the reference's is a changed quantity.
_COUNT_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve").split()


def count(word: str) -> float | None:
    """The number a word says ("two", "2", "2.5"), or None.

    >>> count("two"), count("2"), count("twice")
    (2.0, 2.0, None)
    """
    w = word.lower()
    if w in _COUNT_WORDS:
        return float(_COUNT_WORDS.index(w))
    try:
        return float(w)
    except ValueError:
        return None


def changed_count(answer_words: list[str], reference_words: list[str]) -> tuple[str, str]:
    """A count the answer says and the reference does not, where the reference says a count
    the answer does not ("two-dimensional" for "one-dimensional"); ("", "") when there is none.
    Counts are compared by value, so "2" for "two" is no change, and a count only one side
    says ("maps two keys to a bucket") is not a change of one.

    >>> changed_count(["a", "two", "dimensional", "array"], ["a", "one", "dimensional", "array"])
    ('two', 'one')
    >>> changed_count(["takes", "2", "arguments", "returns", "a", "value"],
    ...               ["takes", "two", "arguments", "returns", "one", "value"])
    ('', '')
    """
    said = {count(w): w for w in answer_words if count(w) is not None}
    meant = {count(w): w for w in reference_words if count(w) is not None}
    new = [w for v, w in said.items() if v not in meant]
    lost = [w for v, w in meant.items() if v not in said]
    return (new[0], lost[0]) if new and lost else ("", "")


_LOCK = threading.Lock()
_DATA: dict = {}


def _load() -> dict:
    if not _DATA:
        with _LOCK:
            if not _DATA:
                raw = json.loads(DATA_PATH.read_text(encoding="utf-8"))
                antonyms: dict[str, set[str]] = {}
                for a, b in raw["antonyms"]:
                    antonyms.setdefault(a, set()).add(b)
                    antonyms.setdefault(b, set()).add(a)
                # word -> {(group, member)}: two words of one group and different members are
                # different kinds of one thing; of the same member, synonyms.
                kinds: dict[str, set[tuple[int, int]]] = {}
                for g, group in enumerate(raw["kinds"]):
                    for m, member in enumerate(group):
                        for word in member:
                            kinds.setdefault(word, set()).add((g, m))
                _DATA.update(antonyms=antonyms, kinds=kinds)
    return _DATA


@lru_cache(maxsize=8192)
def lemmas(word: str) -> frozenset[str]:
    """The word and its lemmas under every part of speech ("larger" -> large)."""
    w = word.lower()
    out = {w}
    for forms in getAllLemmas(w).values():
        out.update(f.lower() for f in forms)
    return frozenset(out)


def opposed(a: str, b: str) -> bool:
    """Whether two words say opposite things: antonyms, or two different quantities."""
    la, lb = lemmas(a), lemmas(b)
    if la & lb:
        return False
    qa = {QUANTITIES[x] for x in la if x in QUANTITIES}
    qb = {QUANTITIES[x] for x in lb if x in QUANTITIES}
    if qa and qb and not qa & qb:
        return True
    ca, cb = count(a), count(b)
    if ca is not None and cb is not None:
        return ca != cb
    antonyms = _load()["antonyms"]
    return any(antonyms.get(x, set()) & lb for x in la)


def other_kind(a: str, b: str) -> bool:
    """Whether two nouns are different kinds of one thing (and never synonyms)."""
    la, lb = lemmas(a), lemmas(b)
    if la & lb:
        return False
    kinds = _load()["kinds"]
    ka = set().union(*(kinds.get(x, set()) for x in la))
    kb = set().union(*(kinds.get(x, set()) for x in lb))
    if ka & kb:
        return False  # one sense of each is the same member: synonyms
    return bool({g for g, _ in ka} & {g for g, _ in kb})
