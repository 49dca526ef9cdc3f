"""Which names are one concept: a merge key for prose and code spellings (``compact_key``),
abbreviations the text spells out without saying so, and names the text gives as the same
("X, also known as Y", "Y for short").
"""

from __future__ import annotations

import re
from collections import Counter

from teachback.core.text import fold
from teachback.ingest.concepts.lexicon import clean_term
from teachback.ingest.keyphrases.frequency import zipf
from teachback.ingest.textutil import STOPWORDS, singular_phrase, stem

_SYN_TERM = r"[*_`\"\u201c]*(?P<{}>[A-Za-z][\w\-]*(?:[ \t][A-Za-z][\w\-]*){{0,3}}?)[*_`\"\u201d]*"
# "hierarchical indexing (also known as multi-indexing)", "X, also called Y,"
#
# It opens with a guard that changes no match, only the time a scan takes: no match starts
# inside a run of letters (a name starting there also starts where the run does, further left,
# and a scan resumes after punctuation), so the scan does not read a name from each letter.
_NOT_MID_WORD = r"(?:(?<![A-Za-z])|(?![A-Za-z]))"
_ALSO_KNOWN = re.compile(
    _NOT_MID_WORD
    + _SYN_TERM.format("main")
    + r"\s*[(,]\s*(?:also|sometimes|often)\s+(?:known as|called|"
    r"referred to as)\s+" + _SYN_TERM.format("alias") + r"\s*[),.;]"
)
# "known as extrasolar planets, or exoplanets for short"
_FOR_SHORT = re.compile(
    r"\b(?:known as|called)\s+"
    + _SYN_TERM.format("main")
    + r",?\s+or\s+"
    + _SYN_TERM.format("alias")
    + r"\s+for short\b"
)
# Words each pattern above needs verbatim: a text with none of them cannot match.
_SYN_NEEDS = {
    _ALSO_KNOWN: ("known as", "called", "referred to as"),
    _FOR_SHORT: ("for short",),
}
INITIALS_ZIPF = 4.0  # an acronym this common in general English is not the text's own name
_ACRONYM = re.compile(r"\b[A-Z]{2,5}s?\b")


def initials_abbreviations(text: str) -> list[tuple[str, str]]:
    """(short, long) for an acronym the text uses at least twice and spells out somewhere
    without saying so: "AVM" and "Advanced Voice Mode", "RL" and "reinforcement learning".
    The expansion is the most frequent run of words whose initials spell the acronym, none
    a stop word, in one case style.

    >>> initials_abbreviations("RL is hard. Reinforcement learning needs reward. RL again.")
    [('RL', 'Reinforcement learning')]
    """
    counts = Counter(m.group().rstrip("s") for m in _ACRONYM.finditer(text))
    out = []
    for short, n in counts.items():
        if n < 2 or zipf(short.lower()) >= INITIALS_ZIPF:
            continue  # "US", "CA", "NA": a word or a common code, not this text's own name
        words = r"[ \t]+".join(rf"[{ch}{ch.lower()}][a-z]+" for ch in short)
        found = Counter(m.group() for m in re.finditer(rf"\b{words}\b", text))
        found = Counter(
            {
                f: k
                for f, k in found.items()
                if not any(w.lower() in STOPWORDS for w in f.split())
                and (f.islower() or f.split()[0][0].isupper())
            }
        )
        if found:
            out.append((short, found.most_common(1)[0][0]))
    return out


_LIBRARY_WORDS = frozenset("python pandas numpy pytorch torch scipy sklearn".split())
_KIND_WORDS = frozenset(
    "object objects method methods attribute attributes keyword keywords".split()
)
CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# The noun of an operation: "concatenation", "aggregation", "merging", "assignment".
NOMINAL = re.compile(r"(?:ation|tion|sion|ing|ment)$")


def compact_key(name: str) -> str:
    """One key for the spellings of a name, prose or code: CamelCase and snake_case split,
    stemmed, then spaces and punctuation dropped.

    >>> compact_key("CausalSelfAttention") == compact_key("causal self-attention")
    True
    >>> compact_key("MultiIndex") == compact_key("multi-index")
    True
    >>> compact_key("GroupBy object") == compact_key("groupby")
    True
    """
    spaced = CAMEL.sub(" ", name.rsplit(".", 1)[-1]).replace("_", " ")
    words = spaced.split()
    while len(words) > 1 and words[0].lower() in _LIBRARY_WORDS:
        words = words[1:]  # "Pandas Series", "Python dictionary"
    while len(words) > 1 and words[-1].lower() in _KIND_WORDS:
        words = words[:-1]  # "GroupBy object", "append method", "merge function"
    # Joined before stemming: "groupby" and "Group By" stem alike only as one word.
    return stem(re.sub(r"[^a-z0-9]", "", singular_phrase(fold(" ".join(words))).lower()))


def synonym_pairs(text: str) -> list[tuple[str, str]]:
    """(alias, main) for each pair of names ``text`` gives as one: "hierarchical indexing
    (also known as multi-indexing)", "X, also called Y", "known as X, or Y for short".

    >>> synonym_pairs("Exoplanets are known as extrasolar planets, or exoplanets for short.")
    [('exoplanets', 'extrasolar planets')]
    """
    out = []
    for pat in (_ALSO_KNOWN, _FOR_SHORT):
        if not any(w in text for w in _SYN_NEEDS[pat]):
            continue  # (the scan costs more than the rest of the batch's setup)
        for m in pat.finditer(text):
            main, alias = clean_term(m.group("main")), clean_term(m.group("alias"))
            if main and alias:
                out.append((alias, main))
    return out
