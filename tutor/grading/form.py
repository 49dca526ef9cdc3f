"""The form of an answer against the reference's: whether it keeps the reference's word order
and phrases, and how much of the reference's glue (function words) it drops. A statement keeps
them; a keyword list or a shuffled salad of the reference's words does not."""

from __future__ import annotations

import re

from teachback.core.text import stem
from teachback.tutor.grading.clauses import _clauses, _stems_of
from teachback.tutor.grading.text import (
    STOPWORDS,
    WORD_SPAN,
    clean,
    content_stems,
    sentences,
    words,
)


def _order_discord(answer: str, reference: str) -> float:
    """Share of pairs of the reference's content words, within one reference sentence, that the
    answer states in the opposite order (0: same order or too few shared words).

    >>> _order_discord("a value stored in memory", "A location in memory stores a value.")
    1.0
    >>> _order_discord("the function main", "At the main function.")
    0.0
    """
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for i, s in enumerate(content_stems(answer)):
        first.setdefault(s, i)
        last[s] = i
    pairs = discordant = 0
    for sent in sentences(reference):
        ref = list(dict.fromkeys(content_stems(sent)))
        for i in range(len(ref)):
            # Neighbouring words are often a compound said either way round ("main function",
            # "function main"); a relation puts other words between its terms.
            for j in range(i + 2, len(ref)):
                if ref[i] in first and ref[j] in first:
                    pairs += 1
                    # Out of order only if no mention of the first comes before one of the
                    # second: a word repeated across sentences is in order somewhere.
                    discordant += first[ref[i]] > last[ref[j]]
    return discordant / pairs if pairs else 0.0


def _pairs_kept(answer: str, reference: str) -> float:
    """Share of the answer's neighbouring reference words (other words skipped) that are
    neighbours, in that order, in a clause of the reference (one word between allowed): a
    statement keeps the reference's phrases ("default constructor", "portions of the product")
    however it rewords the rest; a keyword list shuffled out of the reference breaks them.
    Pairs are taken within clauses, so the items of a list may come in any order. 1.0 when the
    answer has no two of the reference's words in one clause.

    >>> _pairs_kept("It simulates portions of the software", "Simulate portions of software.")
    1.0
    >>> _pairs_kept("Software simulate portions.", "Simulate portions of software.")
    0.5
    >>> _pairs_kept("Member functions and data members.", "Data members and member functions.")
    1.0
    """
    ref_stems = set(content_stems(reference))
    near = set()
    for clause in _clauses(reference):
        st = _stems_of(clause)
        near |= {(a, b) for i, a in enumerate(st) for b in st[i + 1 : i + 3]}
    pairs = []
    for clause in _clauses(answer):
        said = [s for s in _stems_of(clause) if s in ref_stems]
        pairs += [(a, b) for a, b in zip(said, said[1:], strict=False) if a != b]
    return sum(p in near for p in pairs) / len(pairs) if pairs else 1.0


_RUN_BREAK = re.compile(r"[.,;:!?()\[\]\n]|<br\s*/?>|\s[-–—]\s")
# Past this many, glue dropped is a keyword list however long it goes on.
MAX_GLUE_DROPPED = 5
GLUE_SLACK = 2  # pairs without the reference's glue that learners' own statements also have


def _glue_dropped(answer: str, reference: str) -> int:
    """How often the answer puts two of the reference's words side by side, in the reference's
    order, with nothing between them where the reference has a function word or a comma: the
    reference with its glue taken out ("allocating usually twice old capacity moving every
    entry" for "allocating a new, larger bucket array, usually twice the old capacity, and
    moving every entry"). A statement in other words glues its terms with its own words; a
    compound the reference also says ("learning rate") drops nothing.

    >>> ref = "Resizing is allocating a new, larger bucket array, usually twice the old capacity."
    >>> _glue_dropped("allocating usually twice old capacity", ref)
    2
    >>> _glue_dropped("You make a bigger array of buckets, about double the old capacity", ref)
    0
    """
    tokens = [t.lower() for t in WORD_SPAN.findall(clean(reference))]
    stems = [stem(t) if t not in STOPWORDS else None for t in tokens]
    # For each reference content word, where it is said: pairs said side by side there are
    # adjacent; pairs said further apart, in order, had glue between them.
    where: dict[str, list[int]] = {}
    for i, s in enumerate(stems):
        if s:
            where.setdefault(s, []).append(i)
    dropped = 0
    for part in _RUN_BREAK.split(answer or ""):
        said = [t.lower() for t in WORD_SPAN.findall(clean(part))]
        for a, b in zip(said, said[1:], strict=False):
            if a in STOPWORDS or b in STOPWORDS:
                continue
            ia, ib = where.get(stem(a), []), where.get(stem(b), [])
            if not ia or not ib or any(j - i == 1 for i in ia for j in ib):
                continue
            dropped += any(0 < j - i <= 6 for i in ia for j in ib)
    return min(dropped, MAX_GLUE_DROPPED)


def _function_share(text: str) -> float:
    ws = words(text)
    return sum(w in STOPWORDS for w in ws) / len(ws) if ws else 0.0
