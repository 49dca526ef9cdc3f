"""The form of an answer against the reference's: whether it keeps the reference's word order
and phrases, and how much of the reference's glue (function words) it drops. A statement keeps
them; a keyword list or a shuffled salad of the reference's words does not."""

from __future__ import annotations

import re
from collections import Counter

from lemminflect import getAllLemmas

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


# From this many content words, an answer without a single function word or verb is a list of
# phrases, not a statement ("pretrained model smaller learning rate"); fewer is a terse answer
# ("unique function signatures").
MIN_PHRASE_LIST_WORDS = 4
# Share of a phrase list's content words that are the reference's from which it is the
# reference's (or its rubric's) phrases listed back.
PHRASE_LIST_SHARE = 0.75


_COMPOUND = re.compile(r"[A-Za-z0-9][\w']*(?:-[\w']+)*")


def _predicate_verb(word: str) -> bool:
    """A word that can only be a verb and is not a participle ("ignores", "terminate"): a
    participle ("indexed data", "moving every entry") reads as part of a phrase."""
    lemmas = getAllLemmas(word)
    return set(lemmas) == {"VERB"} and not word.endswith(("ed", "ing"))


def phrase_list(answer: str, reference: str, question: str = "") -> bool:
    """Whether an answer is the reference's phrases listed without a statement: at least
    ``MIN_PHRASE_LIST_WORDS`` content words beyond the question's, no function word and no verb
    to relate them, most of them the reference's. Learners who list in their own way still say
    how things relate ("repetition, termination test, eventually terminate" has verbs), and a
    terse answer names the asked thing and a few words ("Series: one-dimensional labelled
    array").

    >>> ref = "Finetuning is training from a pretrained model with a smaller learning rate."
    >>> phrase_list("pretrained model smaller learning rate", ref)
    True
    >>> phrase_list("training a pretrained model with a smaller learning rate", ref)
    False
    """
    # A hyphenated compound is one word: the "one" of "one-dimensional" is no function word.
    said = [w.lower() for w in _COMPOUND.findall(clean(answer))]
    asked = set(content_stems(question))
    content = [s for s in content_stems(answer) if s not in asked]
    if len(content) < MIN_PHRASE_LIST_WORDS or any(w in STOPWORDS for w in said):
        return False
    if any(_predicate_verb(w) for w in said):
        return False
    own = set(content_stems(reference))
    return sum(s in own for s in content) / len(content) >= PHRASE_LIST_SHARE


# An answer made of the reference's own words, all of them and hardly any other (this share of
# each side's words are the other's), that keeps fewer than this share of its neighbouring word
# pairs is the reference shuffled. Learners who reuse the reference's words add or drop some
# (at most 0.86 of them shared on the dev set) or keep its phrases.
SHUFFLED_SAME_AT = 0.9
SHUFFLED_KEPT_BELOW = 0.3


def shuffled_reference(answer: str, reference: str) -> bool:
    """Whether an answer is the reference's words, function words and all, in an order that
    breaks its phrases: "The memory its address operand of." for "The memory address of its
    operand." The gaming check reads content words, whose order a short salad can keep.

    >>> shuffled_reference("The memory its address operand of.",
    ...                    "The memory address of its operand.")
    True
    >>> shuffled_reference("Member functions and data members.",
    ...                    "Data members (attributes) and member functions.")
    False
    """
    said, meant = words(answer), words(reference)
    if len(said) < 3 or not meant:
        return False
    shared = sum((Counter(said) & Counter(meant)).values())
    if min(shared / len(said), shared / len(meant)) < SHUFFLED_SAME_AT:
        return False
    pairs = set(zip(meant, meant[1:], strict=False))
    kept = sum(p in pairs for p in zip(said, said[1:], strict=False))
    return kept / (len(said) - 1) < SHUFFLED_KEPT_BELOW
