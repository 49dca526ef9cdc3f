"""The features of a keyphrase candidate that the ranker weighs (``FEATURES``, in order)."""

from __future__ import annotations

import math
from functools import lru_cache

from teachback.ingest.keyphrases.candidates import Candidate
from teachback.ingest.keyphrases.frequency import rarity
from teachback.ingest.textutil import stem

FEATURES = [
    "n1",
    "n2",
    "n3",
    "n4",
    "log_tf",
    "first_pos",
    "in_first_sentence",
    "n_sentences",
    "rarity_mean",
    "rarity_min",
    "rarity_head",
    "word_tf_mean",
    "whole_chunk",
    "chunk_start",
    "chunk_end",
    "head_noun_suffix",
    "head_adj_suffix",
    "head_verb_suffix",
    "first_adverb",
    "first_verb_suffix",
    "has_digit",
    "acronym",
    "capitalised",
    "occurs_alone",
    "tf_as_sub",
]

_NOUN_SUFFIX = (
    "tion", "sion", "ment", "ness", "ity", "ism", "ance", "ence", "ship", "ure", "ogy", "ics",
    "er", "or", "ist", "age", "ery", "cy", "um", "sis",
)  # fmt: skip
_ADJ_SUFFIX = (
    "al", "ic", "ive", "ous", "able", "ible", "ful", "less", "ary", "ory", "ant", "ent", "ish",
)  # fmt: skip
_VERB_SUFFIX = ("ed", "ize", "ise", "ify", "ate")


def featurize(found: dict[str, Candidate], start: int, end: int) -> None:
    """Fill ``Candidate.features`` (aligned with ``FEATURES``) for one text's candidates."""
    length = max(1, end - start)
    word_tf: dict[str, int] = {}
    for c in found.values():
        if len(c.words) == 1:
            word_tf[c.key] = c.tf
    # How often a candidate occurs inside longer candidates (it is a building block).
    sub_tf: dict[str, int] = {}
    for c in found.values():
        parts = c.key.split(" ")
        if len(parts) > 1:
            for n in range(1, len(parts)):
                for i in range(len(parts) - n + 1):
                    k = " ".join(parts[i : i + n])
                    sub_tf[k] = sub_tf.get(k, 0) + c.tf
    log1p = math.log1p
    for c in found.values():
        words = c.words
        n = len(words)
        if n == 1:
            c.features = _one_word(c, _word_info(words[0]), start, length, word_tf, sub_tf)
            continue
        info = [_word_info(w) for w in words]
        rar = [i[0] for i in info]
        head, first = info[-1], info[0]
        c.features = [
            float(n == 1),
            float(n == 2),
            float(n == 3),
            float(n >= 4),
            log1p(len(c.occurrences)),
            (c.occurrences[0][0] - start) / length,
            float(0 in c.sentences),
            log1p(len(c.sentences)),
            sum(rar) / n,
            min(rar),
            rar[-1],
            sum(log1p(word_tf.get(i[1], 1)) for i in info) / n,
            float(c.whole_chunk),
            float(c.chunk_start),
            float(c.chunk_end),
            head[2],
            head[3],
            head[4],
            first[5],
            first[6] if n > 1 else 0.0,
            float(any(i[7] for i in info)),
            float(any(i[8] for i in info)),
            float(any(i[9] for i in info[1:])),
            log1p(c.alone),
            log1p(sub_tf.get(c.key, 0)),
        ]


def _one_word(
    c: Candidate,
    info: tuple,
    start: int,
    length: int,
    word_tf: dict[str, int],
    sub_tf: dict[str, int],
) -> list[float]:
    """``featurize``'s list for a one-word candidate (most of them): each value the one the
    general case computes (a sum, minimum or last of one value is that value), without its
    per-word lists and generators."""
    log1p = math.log1p
    rar = info[0]
    return [
        1.0,
        0.0,
        0.0,
        0.0,
        log1p(len(c.occurrences)),
        (c.occurrences[0][0] - start) / length,
        float(0 in c.sentences),
        log1p(len(c.sentences)),
        rar,
        rar,
        rar,
        log1p(word_tf.get(info[1], 1)),
        float(c.whole_chunk),
        float(c.chunk_start),
        float(c.chunk_end),
        info[2],
        info[3],
        info[4],
        info[5],
        0.0,
        float(bool(info[7])),
        float(bool(info[8])),
        0.0,
        log1p(c.alone),
        log1p(sub_tf.get(c.key, 0)),
    ]


@lru_cache(maxsize=200_000)
def _word_info(word: str) -> tuple:
    """Per-word parts of the features, computed once per distinct word."""
    low = word.lower()
    return (
        rarity(word),
        stem(word),
        float(low.endswith(_NOUN_SUFFIX) or (low.endswith("s") and not low.endswith("ss"))),
        float(low.endswith(_ADJ_SUFFIX)),
        float(low.endswith(_VERB_SUFFIX) or low.endswith("ing") or low.endswith("ly")),
        float(low.endswith("ly")),
        float(low.endswith(("ed", "ing", "ize", "ise"))),
        any(ch.isdigit() for ch in word),
        len(word) > 1 and word.isupper(),
        word[:1].isupper(),
    )
