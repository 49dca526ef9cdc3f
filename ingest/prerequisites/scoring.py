"""Whether concept A is a prerequisite of concept B: the pair's features and their score.

``prerequisite_features(a, b, stats)`` describes a pair with general signals only (no domain
rules):

* ``contains``: A's words are inside B's name ("triangle" in "isosceles triangle") (+1), or the
  reverse (-1);
* ``order``: A is introduced before B in the text (first mention, in reading order);
* ``refers``: how much more B's sentences mention A than A's sentences mention B;
* ``defines``: B's defining (first) sentences mention A, minus the reverse;
* ``tf``: A is more frequent in the text than B (more general);
* ``zipf``: A is more common in general English than B (wordfreq), which also works with no text;
* ``cooc``: how often they share a sentence (relatedness, symmetric);
* ``generality``: A's words recur in more of the batch's concept names than B's rarest word
  does (log of the smallest number of names sharing a word), which also works with no text.

``NAMES_ONLY`` are the features that need no text; the others are 0 for a pair never seen in a
text. A logistic regression over those features (weights in ``weights.json``, fitted by
``teachback bench prerequisites --fit`` on the dev pairs plus a names-only copy of the pairs
that have text, its regularisation chosen by leave-one-domain-out) gives ``score``.

Name length (B's name has more words than A's) is not a feature: its direction differs between
domains (single-feature AUC 0.45 on data mining, 0.68 on geometry) and dropping it raised the
leave-one-domain-out AUC of both dev domains.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from teachback.ingest.prerequisites.mentions import TermStats, word_zipf

WEIGHTS_PATH = Path(__file__).with_name("weights.json")
FEATURES = [
    "contains",
    "order",
    "refers",
    "defines",
    "tf",
    "zipf",
    "cooc",
    "both_seen",
    "generality",
]
# Features computed from the names alone (the rest need text; 0 when a pair has none).
NAMES_ONLY = ("contains", "zipf", "generality")
FEATURE_INDEX = {name: i for i, name in enumerate(FEATURES)}
DEFINING_SENTENCES = 3  # the first sentences mentioning a concept count as its defining context


def prerequisite_features(a: int, b: int, stats: TermStats) -> list[float]:
    """Features of "term ``a`` is a prerequisite of term ``b``" (aligned with ``FEATURES``)."""
    wa, wb = stats.words[a], stats.words[b]
    contains = 0.0
    if wa and wb and wa != wb:
        if wa < wb:
            contains = 1.0
        elif wb < wa:
            contains = -1.0
    sa, sb = stats.sentences.get(a, []), stats.sentences.get(b, [])
    both = bool(sa) and bool(sb)
    order = 0.0
    if both:
        fa, fb = stats.first[a], stats.first[b]
        if fa != fb:
            order = 1.0 if fa < fb else -1.0
    refers = defines = cooc = 0.0
    if both:
        shared = len(stats.sentence_set(a) & stats.sentence_set(b))
        refers = shared / len(sb) - shared / len(sa)
        def_b = sum(1 for s in sb[:DEFINING_SENTENCES] if a in stats.mentions[s])
        def_a = sum(1 for s in sa[:DEFINING_SENTENCES] if b in stats.mentions[s])
        defines = (def_b - def_a) / DEFINING_SENTENCES
        cooc = math.log1p(shared)
    tf = math.log1p(len(sa)) - math.log1p(len(sb))
    zipf = word_zipf(stats.names[a]) - word_zipf(stats.names[b])
    generality = stats.generality[a] - stats.generality[b] if stats.generality else 0.0
    return [contains, order, refers, defines, tf, zipf, cooc, float(both), generality]


@lru_cache(maxsize=1)
def load_weights() -> tuple[list[float], float]:
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    if data["features"] != FEATURES:
        raise RuntimeError(f"{WEIGHTS_PATH} was fitted on other features; refit it")
    return data["coef"], data["intercept"]


def score(features: list[float]) -> float:
    """Probability that the pair is a prerequisite pair, from the shipped weights."""
    coef, intercept = load_weights()
    z = intercept + sum(w * x for w, x in zip(coef, features, strict=True))
    return 1.0 / (1.0 + math.exp(-z))
