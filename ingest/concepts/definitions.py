"""Sentences that define a term: "X is a ...", "X refers to ...", "... is called X", glossary
lines ("Term: definition"), labels set in bold and flattened ("Right Triangle: When ..."), and
defined adjectives ("Points that lie on the same line are collinear.").

Pure text functions; which definition a concept keeps is decided in ``prose``.
"""

from __future__ import annotations

import re

from teachback.core.text import fold
from teachback.ingest.concepts.lexicon import GENERIC_HEADINGS, GENERIC_WORDS, clean_term
from teachback.ingest.keyphrases import zipf
from teachback.ingest.textutil import STOPWORDS, stem

_TERM = r"(?P<term>[A-Za-z][\w'\-]*(?:\s+[\w'\-]+){0,4}?)"
_ART = r"(?:(?:an?|the|one|any|each|every)\s+)"
_DEF_PATTERNS: list[tuple[re.Pattern, float]] = [
    # "X refers to ...", "X is defined as ...", "X means ...", "X denotes ..."
    (
        re.compile(
            rf"^(?:[^,]{{0,40}},\s+)?{_ART}?{_TERM}\s*(?:\([^)]{{1,60}}\)\s*)?,?\s+"
            r"(?:refers? to|(?:is|are) defined as|means|denotes|(?:is|are) the term for)\s+\S",
            re.I,
        ),
        1.0,
    ),
    # "X is a/an/the ..." (also "X (Y) is a ...")
    (
        re.compile(
            rf"^(?:[^,]{{0,40}},\s+)?{_ART}?{_TERM}\s*(?:\([^)]{{1,60}}\)\s*)?,?\s+"
            rf"(?:is|are)\s+{_ART}\S",
            re.I,
        ),
        1.0,
    ),
    # "X, which is ..." / "X, i.e. ..."
    (re.compile(rf"^{_ART}?{_TERM},\s+(?:which|i\.e\.|that is)\s+(?:is|are|means)?", re.I), 0.7),
    # "X is <noun> of ..." without an article (notes and stripped textbook text)
    (
        re.compile(
            rf"^{_ART}?{_TERM}\s+(?:is|are)\s+(?P<head>[a-z]+)\s+(?:of|that|which|where|in)\b"
        ),
        0.6,
    ),
]
# "... is called X." / "... is known as X" / "we call this X"
_CALLED = re.compile(
    r"\b(?:is|are)\s+(?:(?:also|often|usually|sometimes)\s+)?(?:called|known as|termed|named|"
    r"referred to as)\s+(?:an?\s+|the\s+)?[\"'*_]*(?P<term>[A-Za-z][\w'\-]*(?:\s+[\w'\-]+){0,3}?)"
    r"[\"'*_]*\s*(?:[.,;:)]|$)",
    re.I,
)
# A term the author introduces by name: "what he calls “AI Psychosis”", "researchers have a term
# for it: jagged frontier", "the person who coined Vibe Coding".
_NAMED = re.compile(
    r"\b(?:(?:what|which)\s+(?:he|she|they|we|it|I|\w+)\s+calls?|coined(?:\s+the\s+term)?|"
    r"(?:have|has|is)\s+a\s+(?:name|term|word)\s+for\s+(?:it|this|that)\s*:?)\s+"
    r"[\"'\u201c\u2018*_]*(?P<term>[A-Za-z][\w'\-]*(?:\s+[\w'\-]+){0,3}?)[\"'\u201d\u2019*_]*"
    r"\s*(?:[.,;:)!?\u201d\u2019]|\(|$)",
)
# Glossary lines: "- **Term**: definition", "Term - definition", "Term: definition"
GLOSSARY = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+|\d{1,2}[.)][ \t]+)?[*_`]*"
    r"(?P<term>[A-Za-z][\w'\-]*(?:[ \t]+[\w'\-]+){0,4})[*_`]*"
    r"[ \t]*(?::|\s-\s|\s\u2014\s|\s--\s)[ \t]*(?P<rest>\S.{10,})$",
    re.M,
)
# A capitalised label that opens a sentence and is followed by a colon and a statement: a key
# term set in bold or in a box, flattened to text ("Right Triangle: When a triangle has ...",
# "Circumcenter: The point of ..."). A one-word label that names a part of the text
# ("Investigation:", "Given:", "Theorem:") is not a term.
_LABEL_DEF = re.compile(
    r"^(?P<term>(?:[A-Z][a-z][\w\-]*[ \t]+){0,3}[A-Z][a-z][\w\-]*)[ \t]*:[ \t]+"
    r"(?P<rest>(?P<first>[A-Za-z]+)\b[^:]{12,})"
)
_LABEL_OPENERS = frozenset(
    "a an the when if two three all any every each one it this these".split()
)
_LABEL_PARTS = frozenset(
    """investigation given prove proof step hint tip warning theorem postulate corollary lemma
    definition property properties activity materials tools""".split()
)
# "X is a/the <genus> ...": the head of the first phrase after the copula names the kind of
# thing defined ("Perimeter is the distance around ...": distance).
GENUS = re.compile(r"\b(?:is|are)\s+(?:also\s+)?(?:(?:an?|the|one)\s+)?", re.I)
# After a genus: "by" makes it a passive verb ("are cut by"), an article a predeterminer or a
# verb ("is half the sum", "is twice the length").
NOT_GENUS_AFTER = re.compile(r"\s+(?:by|the|an?)\b", re.I)
_ADJ_HEAD = re.compile(r"(?:al|ic|ive|ous|able|ible|ful|less|ly|ed|ing)$")
# Defined adjectives (textbook vocabulary such as "collinear", "congruent"):
# "Points that lie on the same line are collinear." / "Two lines are perpendicular if ..."
_ADJ_DEFS: list[re.Pattern] = [
    re.compile(
        r"^(?:(?:an?|the|two|three|all|any)\s+)?[A-Za-z][\w\-]*s?(?:\s+(?:and/?or|or|and)\s+"
        r"[A-Za-z][\w\-]*)?\s+(?:that|which|who|whose|within|in|on|with)\s+[^.;:]{3,100}?\s+"
        r"(?:is|are)\s+(?:(?:called|said\s+to\s+be|known\s+as)\s+)?"
        r"(?P<term>[a-z][a-z\-]{3,})\s*[.!]?$"
    ),
    re.compile(
        r"^(?:(?:two|three|the|an?|any)\s+)?(?:[a-z][\w\-]*\s+){0,2}(?:is|are)\s+"
        r"(?:(?:called|said\s+to\s+be)\s+)?(?P<term>[a-z][a-z\-]{3,})\s+(?:if|when|whenever)\s",
        re.I,
    ),
]
# A defined adjective must be rare in general English (Zipf below this): "collinear" (2.0),
# "perpendicular" (3.3) yes; "important" (5.4), "equal" (4.7) no.
ADJ_DEF_ZIPF = 4.5


def definitional_terms(sentence: str) -> list[tuple[str, float]]:
    """Terms that ``sentence`` defines, with a strength in (0, 1].

    >>> definitional_terms("A large language model is a neural network trained on text.")
    [('large language model', 1.0)]
    >>> definitional_terms("Osmosis refers to the movement of water.")
    [('Osmosis', 1.0)]
    >>> definitional_terms("It is a good idea.")
    []
    """
    s = re.sub(r"\*\*|__|(?<!\w)[*_`]|[*_`](?!\w)", "", fold(sentence))
    s = s.strip().lstrip("#>-+ \t")
    s = re.sub(r"^[^\n:]{1,40}:[ \t]*\n\s*", "", s)  # "Clawd murmur:" on the line before
    out = [d for d in (_copula_definition(s) or _label_definition(s), _called(s)) if d]
    if not out:
        adjective = _adjective_definition(s)
        return [adjective] if adjective else []
    return out


def _copula_definition(s: str) -> tuple[str, float] | None:
    """ "X is a ...", "X refers to ...", "X, which is ...": the first pattern that names a
    clean term."""
    for pat, strength in _DEF_PATTERNS:
        m = pat.search(s)
        if not m:
            continue
        if "head" in m.groupdict() and (
            m.group("head").lower() in STOPWORDS or _ADJ_HEAD.search(m.group("head"))
        ):
            continue
        term = clean_term(m.group("term").strip("*_`\"' "))
        if term:
            return term, strength
    return None


def _label_definition(s: str) -> tuple[str, float] | None:
    """ "Right Triangle: When a triangle has ...": a label set in bold, then its statement."""
    m = _LABEL_DEF.search(s)
    if not m:
        return None
    words = m.group("term").split()
    first = m.group("first")
    opener = first.lower() in _LABEL_OPENERS or (
        first[:1].isupper() and any(stem(first) == stem(w) for w in words)
    )
    if not opener or (len(words) == 1 and words[0].lower() in _LABEL_PARTS):
        return None
    term = clean_term(m.group("term"))
    if term and term.lower() not in GENERIC_HEADINGS:
        return term, 0.9
    return None


def _called(s: str) -> tuple[str, float] | None:
    """ "... is called X", "what he calls X", "coined the term X"."""
    m = _CALLED.search(s) or _NAMED.search(s)
    term = clean_term(m.group("term")) if m else None
    return (term, 0.9) if term else None


def _adjective_definition(s: str) -> tuple[str, float] | None:
    """ "Points that lie on the same line are collinear.": a rare adjective defined."""
    for pat in _ADJ_DEFS:
        m = pat.search(s)
        if not m:
            continue
        term = m.group("term")
        if (
            term.lower() not in STOPWORDS
            and term.lower() not in GENERIC_WORDS
            and not term.endswith(("ing", "ed", "ly"))
            and zipf(term) < ADJ_DEF_ZIPF
        ):
            return term, 0.8
        return None
    return None


# A speaker or narrator label opening a line of a transcript ("Karpathy: I feel ...").
SPEAKER = re.compile(r"^([A-Z][a-z]+)(?:[ \t]+[A-Za-z]+){0,2}[ \t]*:", re.M)
