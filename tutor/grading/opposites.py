"""Which words say the opposite of which: antonyms, quantities and other kinds of one thing.

An answer can keep every word of the reference but one and state its opposite ("a new,
*smaller* bucket array, usually *half* the old capacity" for "a new, *larger* bucket array,
usually *twice* the old capacity"). Embeddings place such words close together (they appear in
the same contexts), so the grader looks them up instead:

- antonyms from WordNet (large/small, keep/lose, include/exclude), compared by lemma so that
  inflections count ("larger"/"smaller");
- multiplying quantities said in words (twice/half, double/triple);
- nouns that WordNet lists as different kinds of one thing (the set operations union and
  intersection): one put where the reference has the other names a different thing;
- adjectives WordNet opposes only through a head adjective (*free*, "not occupied or in use", is
  similar to *unoccupied*, the antonym of *occupied*), and places on either side of a boundary
  (*outside* / *in*, *before* / *after*): read only where the reference has the other word in
  the same place of the same statement (``opposed_in_place``);
- closed classes WordNet does not pair: growth rates of a cost ("linear" for "constant",
  ``O(n)`` for ``O(1)``), whether anyone or nobody does a thing (``polarity``), whether a
  step keeps a thing or takes it away ("deleting old entries" for "moving every entry",
  ``action``), and whether a quantity grows, stays or shrinks ("its cost stays the same" for
  "its cost grows", ``change``).

The word lists are ``opposites.json`` next to this file, built from WordNet by
``scripts/build_opposites.py`` (nothing is read from the network or the system at run time).

>>> opposed("larger", "smaller"), opposed("larger", "bigger")
(True, False)
>>> other_kind("intersection", "union"), other_kind("union", "sum")
(True, False)
>>> opposed_in_place("free", "occupied"), opposed_in_place("outside", "in")
(True, True)

Not handled: multi-word opposites ("from scratch" / "pretrained"), opposites outside these lists,
and languages other than English.
"""

from __future__ import annotations

import json
import re
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


# Growth rates of a cost, each excluding the others: one said where the reference says another
# is a changed claim, though the words are no antonyms ("linear" for "constant").
GROWTH = (
    "constant logarithmic linear linearithmic quadratic cubic polynomial exponential factorial"
).split()
# Big-O notation said as the growth rate it names, so "O(n)" and "linear" compare.
_BIG_O = [
    (re.compile(r"\bO\(\s*1\s*\)"), "constant"),
    (re.compile(r"\bO\(\s*log\s*\(?\s*n\s*\)?\s*\)", re.I), "logarithmic"),
    (re.compile(r"\bO\(\s*n\s*\*?\s*log\s*\(?\s*n\s*\)?\s*\)", re.I), "linearithmic"),
    (re.compile(r"\bO\(\s*n\s*\)", re.I), "linear"),
    (re.compile(r"\bO\(\s*n\s*(?:\^|\*\*)\s*2\s*\)|\bO\(\s*n\u00b2\s*\)", re.I), "quadratic"),
    (re.compile(r"\bO\(\s*n\s*(?:\^|\*\*)\s*3\s*\)|\bO\(\s*n\u00b3\s*\)", re.I), "cubic"),
    (re.compile(r"\bO\(\s*2\s*(?:\^|\*\*)\s*n\s*\)", re.I), "exponential"),
]


def growth_words(text: str) -> str:
    """Big-O notation written as the growth rate it names.

    >>> growth_words("each insert costs O(1), a scan O(n log n)")
    'each insert costs constant, a scan linearithmic'
    """
    for pattern, word in _BIG_O:
        text = pattern.sub(word, text)
    return text


# Whether anyone or nobody does a thing. A word of "nobody" under no other negation says
# nobody; one of "anybody" under a negation says it too ("not anyone can"); unnegated, "anyone",
# "everyone" and "someone" say somebody does. "Not all" and "not some" are left unjudged.
_NONE_WORDS = frozenset("no none nobody noone nothing never neither".split())
_ANY_WORDS = frozenset("any anyone anybody anything ever".split())
_SOME_WORDS = frozenset(
    "all every everyone everybody everything always each some someone somebody something "
    "sometimes".split()
)


def polarity(tokens: list[str], negative) -> dict[str, str]:
    """Whether a clause says nobody ("none") or somebody ("some") does its thing, each with the
    word that says it (``negative(word)``: whether a token negates).

    >>> polarity("nobody can find two inputs".split(), lambda w: w in {"not", "nobody"})
    {'none': 'nobody'}
    >>> polarity("it is easy for anyone to find".split(), lambda w: w in {"not", "nobody"})
    {'some': 'anyone'}
    >>> polarity("it is not easy for anyone to find".split(), lambda w: w in {"not", "nobody"})
    {'none': 'anyone'}
    """
    out: dict[str, str] = {}
    for i, w in enumerate(tokens):
        if w not in _NONE_WORDS and w not in _ANY_WORDS and w not in _SOME_WORDS:
            continue
        odd = sum(negative(t) for j, t in enumerate(tokens) if j != i) % 2 == 1
        if w in _NONE_WORDS and not odd or w in _ANY_WORDS and odd:
            out.setdefault("none", w)
        elif not odd and w not in _NONE_WORDS:
            out.setdefault("some", w)
    return out


def changed_polarity(
    answer_words: list[str], reference_words: list[str], negative
) -> tuple[str, str]:
    """The answer's word saying somebody does what the reference says nobody does, or the other
    way round ("anyone" for "nobody"); ("", "") when there is none or only one side says.

    >>> neg = lambda w: w in {"not", "nobody", "no"}
    >>> changed_polarity("it is easy for anyone to find".split(), "nobody can find".split(), neg)
    ('anyone', 'nobody')
    >>> changed_polarity("no one can find".split(), "nobody can find".split(), neg)
    ('', '')
    """
    said, meant = polarity(answer_words, negative), polarity(reference_words, negative)
    for value, word in said.items():
        if value not in meant and meant:
            return word, next(iter(meant.values()))
    return "", ""


# What a step does to a thing: keeps, adds or moves it, or takes it away. One class said where
# the reference says the other, of the same thing, is the opposite step ("deleting old entries"
# for "moving every entry into it", "drops rows" for "fills in missing values"). Words that are
# as often adjectives ("free", "clear", "empty") are left out.
_KEEPING = frozenset(
    """add insert keep retain preserve move copy store create allocate fill include append save
    put place hold build construct load push""".split()
)
_REMOVING = frozenset(
    """delete remove drop discard erase destroy exclude omit lose deallocate pop purge evict
    strip unload""".split()
)


# How a quantity changes: it grows, stays as it is, or shrinks. Said of the same thing, two of
# them disagree ("its cost *stays* the same" for "its cost *grows* in proportion").
_GROWING = frozenset("grow rise climb expand enlarge extend double triple increase".split())
_STAYING = frozenset("stay remain".split())
_SHRINKING = frozenset("shrink fall decline decrease reduce halve".split())


def change(word: str) -> str:
    """How a verb says a quantity changes: "up", "same" or "down"; "" for any other word.

    >>> change("grows"), change("stays"), change("shrinking"), change("table")
    ('up', 'same', 'down', '')
    """
    verbs = set(getAllLemmas(word.lower()).get("VERB", ()))
    for kind, words in (("up", _GROWING), ("same", _STAYING), ("down", _SHRINKING)):
        if verbs & words:
            return kind
    return ""


def action(word: str) -> str:
    """ "keep" or "remove" for a verb of either class (any inflection), else "".

    >>> action("deleting"), action("moves"), action("table")
    ('remove', 'keep', '')
    """
    verbs = set(getAllLemmas(word.lower()).get("VERB", ()))
    if verbs & _KEEPING:
        return "keep"
    if verbs & _REMOVING:
        return "remove"
    return ""


# Where a thing is against a boundary, or when against an event: prepositions WordNet does not
# pair ("the place *outside* the table's array" for "the place *in* the table's array"). The
# classes come in opposite pairs: in / outside, before / after, above / below, with / without.
_PLACES = (
    frozenset("in inside within into internal interior".split()),
    frozenset("outside out beyond external exterior".split()),
    frozenset("before prior".split()),
    frozenset("after".split()),
    frozenset("above over".split()),
    frozenset("below under beneath".split()),
    frozenset("with".split()),
    frozenset("without".split()),
)


def place(word: str) -> int | None:
    """The class of a preposition of place or time (``_PLACES``), or None.

    >>> place("inside") == place("in"), place("outside") == place("in"), place("table")
    (True, False, None)
    """
    w = word.lower()
    return next((i for i, words in enumerate(_PLACES) if w in words), None)


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
                indirect: dict[str, set[str]] = {}
                for a, b in raw.get("indirect", []):
                    indirect.setdefault(a, set()).add(b)
                    indirect.setdefault(b, set()).add(a)
                _DATA.update(antonyms=antonyms, kinds=kinds, indirect=indirect)
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
    """Whether two words say opposite things: antonyms, two different quantities, or two
    different growth rates."""
    la, lb = lemmas(a), lemmas(b)
    if la & lb:
        return False
    if a.lower() in GROWTH and b.lower() in GROWTH:
        return True
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


def opposed_in_place(a: str, b: str) -> bool:
    """Whether a word says the opposite of another when it stands where the reference has that
    one: WordNet's indirect antonyms (a satellite adjective against its head's antonym: *free*
    / *occupied*) and prepositions of opposite places (*outside* / *in*). Looser than
    ``opposed``: *free* also opposes *fixed*, which elsewhere in a clause is another claim."""
    pa, pb = place(a), place(b)
    if pa is not None and pb is not None:
        return pa != pb and pa // 2 == pb // 2  # the classes come in opposite pairs
    la, lb = lemmas(a), lemmas(b)
    if la & lb:
        return False
    indirect = _load()["indirect"]
    return any(indirect.get(x, set()) & lb for x in la)
