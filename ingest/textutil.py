"""Small, dependency-light text helpers shared by concept and keyphrase extraction.

Folding and sentence spans are shared by every package: ``teachback.core.text``.

* ``tokens`` gives word tokens with spans; ``stem``/``stem_phrase`` use the Porter stemmer
  (``snowballstemmer``); ``singular`` is a rule-based English singulariser.
* ``find_abbreviations`` finds "long form (SHORT)" and "SHORT (long form)" pairs.

Not handled: languages other than English; POS tagging (suffix heuristics only).

Example::

    >>> stem_phrase("Large Language Models")
    'larg languag model'
    >>> singular("matrices"), singular("classes"), singular("analysis")
    ('matrix', 'class', 'analysis')
    >>> find_abbreviations("A large language model (LLM) predicts text.")
    [('LLM', 'large language model')]
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from teachback.core.text import fold

# --- stop words ------------------------------------------------------------------------------

STOPWORDS = frozenset(
    """
a about above across after afterwards again against all almost alone along already also although
always am among amongst an and another any anyhow anyone anything anyway anywhere are around as at
be became because become becomes becoming been before beforehand behind being below beside besides
between beyond both but by can cannot could did do does doing done down due during each eg e.g
either else elsewhere enough etc even ever every everyone everything everywhere except few for
former formerly from further had has have having he hence her here hereafter hereby herein
hereupon hers herself him himself his how however i ie i.e if in indeed into is it its itself just
last latter latterly least less let like likely may me meanwhile might mine more moreover most
mostly much must my myself namely neither never nevertheless next no nobody none noone nor not
nothing now nowhere of off often on once one only onto or other others otherwise our ours
ourselves out over own per perhaps please put rather re same say says said see seem seemed seeming
seems several she should show shows shown since so some somehow someone something sometime
sometimes somewhere still such than that the their theirs them themselves then thence there
thereafter thereby therefore therein thereupon these they this those though through throughout
thru thus to together too toward towards under until up upon us use used uses using very via was
we well were what whatever when whence whenever where whereafter whereas whereby wherein whereupon
wherever whether which while whither who whoever whole whom whose why will with within without
would yet you your yours yourself yourselves s t don doesn didn isn aren wasn weren won wouldn
shouldn couldn can't don't it's let's that's there's what's i'm you're we're they're i've
you've we've they've i'd you'd we'd they'd i'll you'll we'll they'll isn't aren't wasn't weren't
hasn't haven't hadn't doesn't didn't won't wouldn't shouldn't couldn't mustn't
also new based different various given make makes made many way ways thing things lot lots kind
kinds really actually basically get gets got go goes going gone know knows think thinks want
wants need needs able first second third two three four five six seven eight nine ten paper
present presents presented propose proposes proposed describe describes described discuss
discusses discussed study studies approach approaches method methods result results
""".split()
)

# Words that may sit *inside* a keyphrase but never start or end one ("theory of mind").
INNER_WORDS = frozenset({"of", "and", "for", "in", "on", "to"})


def is_stopword(word: str) -> bool:
    return word.lower() in STOPWORDS


# --- stemming, singular forms ----------------------------------------------------------------

_porter = snowballstemmer.stemmer("porter")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Porter stem of one lower-cased word."""
    return _porter.stemWord(word.lower())


def stem_phrase(phrase: str) -> str:
    """Lower-case, split on non-word characters except '-' inside words, stem each word."""
    return " ".join(stem(w) for w in WORD_RE.findall(fold(phrase).lower()))


_IRREGULAR = {
    "matrices": "matrix",
    "vertices": "vertex",
    "indices": "index",
    "indexes": "index",
    "criteria": "criterion",
    "phenomena": "phenomenon",
    "data": "data",
    "analyses": "analysis",
    "hypotheses": "hypothesis",
    "theses": "thesis",
    "axes": "axis",
    "children": "child",
    "people": "person",
    "men": "man",
    "women": "woman",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "radii": "radius",
    "foci": "focus",
    "polyhedra": "polyhedron",
    "series": "series",
    "species": "species",
}
_NO_SINGULAR_SUFFIX = ("ss", "us", "is", "ics", "sis", "ous", "as")


@lru_cache(maxsize=100_000)
def singular(word: str) -> str:
    """Rule-based English singular of one word; keeps case of the rest of the word."""
    low = word.lower()
    if low in _IRREGULAR:
        return _match_case(word, _IRREGULAR[low])
    if len(low) <= 3 or not low.endswith("s") or low.endswith(_NO_SINGULAR_SUFFIX):
        return word
    if word.isupper():  # "LLMs" is handled by the caller; "GPUS" stays
        return word
    if low.endswith("ies") and len(low) > 4:
        return word[:-3] + "y"
    if low.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if low.endswith("ves") and low[:-3] in {"hal", "shel", "lea", "kni", "wol", "cal", "thie"}:
        return word[:-3] + ("f" if low[:-3] != "kni" else "fe")
    return word[:-1]


def _match_case(original: str, new: str) -> str:
    if original.isupper():
        return new.upper()
    if original[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def singular_phrase(phrase: str) -> str:
    """Singularise the head (last word) of a phrase: "large language models" -> "... model".

    Acronym plurals ("LLMs") lose their final lower-case s.
    """
    words = phrase.split(" ")
    last = words[-1]
    if re.fullmatch(r"[A-Z][A-Z0-9]+s", last):
        words[-1] = last[:-1]
    else:
        words[-1] = singular(last)
    return " ".join(words)


@lru_cache(maxsize=200_000)
def phrase_key(phrase: str) -> str:
    """The identity used to merge surface forms: singular head, lower-case, Porter-stemmed."""
    return stem_phrase(singular_phrase(fold(phrase).strip()))


# --- tokens and sentences --------------------------------------------------------------------

# A word: letters/digits with inner hyphens, apostrophes or dots (e.g. "k-means", "don't", "e.g").
WORD_RE = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['\-.][A-Za-z0-9\u00c0-\u024f]+)*")
_LETTERS = "A-Za-z0-9\u00c0-\u024f"
_TOKEN_RE = re.compile(rf"[{_LETTERS}]+(?:['\-][{_LETTERS}]+)*|[^\s{_LETTERS}]")


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """(token, start, end) for words and single punctuation marks in ``text[start:end]``."""
    end = len(text) if end is None else end
    return [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text, start, end)]


# --- abbreviations ---------------------------------------------------------------------------

_PAREN_SHORT = re.compile(r"\(([A-Z][A-Za-z0-9\-]{1,9}?)s?\)")
_SHORT_PAREN_LONG = re.compile(r"\b([A-Z][A-Z0-9\-]{1,9})s?\s*\(([^()]{3,80})\)")


def _initials_match(short: str, words: list[str]) -> bool:
    """True when the capitals of ``short`` are the initials of ``words`` (hyphen parts count)."""
    letters = [c.lower() for c in short if c.isalpha()]
    initials: list[str] = []
    for w in words:
        for part in w.split("-"):
            if part:
                initials.append(part[0].lower())
    if not letters or len(letters) > len(initials) + 1:
        return False
    # Greedy subsequence: every letter of the short form appears as a word/part initial, in order,
    # and the first letters match.
    if letters[0] != initials[0]:
        return False
    j = 0
    for c in letters:
        while j < len(initials) and initials[j] != c:
            j += 1
        if j == len(initials):
            return False
        j += 1
    return True


def find_abbreviations(text: str) -> list[tuple[str, str]]:
    """(short, long) pairs from "long form (SHORT)" and "SHORT (long form)" in ``text``."""
    found: list[tuple[str, str]] = []
    for m in _PAREN_SHORT.finditer(text):
        short = m.group(1)
        if sum(c.isupper() for c in short) < 2:
            continue
        before = WORD_RE.findall(text[max(0, m.start() - 120) : m.start()])
        n = sum(c.isalpha() and c.isupper() for c in short)
        for k in range(min(len(before), n + 2), 0, -1):
            words = before[-k:]
            if words[0].lower() in STOPWORDS:
                continue
            if _initials_match(short, words) and len(words) >= max(1, n - 1):
                found.append((short, " ".join(words)))
                break
    for m in _SHORT_PAREN_LONG.finditer(text):
        short, long = m.group(1), m.group(2).strip()
        words = WORD_RE.findall(long)
        if 1 < len(words) <= 8 and _initials_match(short, words):
            found.append((short, " ".join(words)))
    out: list[tuple[str, str]] = []
    for pair in found:
        if pair not in out:
            out.append(pair)
    return out
