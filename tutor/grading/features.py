"""Question-independent features of a free-text answer against a reference (and a question).

The features follow the short-answer grading literature (Mohler et al. 2011; Sultan et al. 2016):
word overlap with the reference, the same after *question demoting* (words the question already
contains earn nothing: an answer that only repeats the question is not an answer), soft alignment
of words through contextual embeddings (a BERTScore-style precision/recall over content words),
sentence-embedding cosine, length ratios, negation mismatch, and coverage of the reference's key
points. No feature depends on which question it is, so a model fitted on some questions transfers
to new ones.

Bags of words cannot tell a statement from its words shuffled, negated or turned around, so
``GATE_FEATURES`` look at form: whether the reference's words come in the reference's order and
keep its phrases, how many fewer function words the answer has than the reference (keyword
lists have none), and whether a clause both say is negated on one side only. A second model
(``model.py``) reads them with the word overlap to tell an answer made of the reference's words
from a statement of it.

>>> f = extract("What is a pointer?", "A variable holding an address.", "It stores an address.")
>>> 0.0 <= f["overlap_f1"] <= 1.0
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from teachback.core.text import stem
from teachback.tutor.grading import embed
from teachback.tutor.grading.clauses import _negation_flip
from teachback.tutor.grading.form import (
    GLUE_SLACK,
    _function_share,
    _glue_dropped,
    _order_discord,
    _pairs_kept,
)
from teachback.tutor.grading.text import (
    STOPWORDS,
    WORD_SPAN,
    clean,
    content_stems,
    has_negation,
    idea_units,
)

FEATURES = [
    "overlap_p",
    "overlap_r",
    "overlap_f1",
    "demoted_p",
    "demoted_r",
    "demoted_f1",
    "align_p",
    "align_r",
    "align_f1",
    "demoted_align_p",
    "demoted_align_r",
    "demoted_align_f1",
    "hard_p",
    "hard_r",
    "cos_ref",
    "cos_question",
    "cos_gain",
    "cos_content",
    "fuzzy",
    "log_len",
    "len_ratio",
    "question_share",
    "negation_mismatch",
    "points_mean",
    "points_min",
    "points_covered",
]

# What the gaming check reads: how much of the answer is the reference's words, and its form.
# The overlap leaves out the question's words: "A pointer is not a variable that ..." is the
# reference negated whether or not it first repeats the question's term.
GATE_FEATURES = [
    "demoted_p",
    "demoted_r",
    "order_discord",
    "negation_flip",
    "function_gap",
    "pairs_kept",
]


@dataclass
class _Side:
    """One text, encoded: token vectors and each token's word stem (None: not a content word)."""

    enc: embed.Encoded
    stems: list[str | None]


def _side(text: str) -> _Side:
    text = clean(text)
    enc = embed.encode(text)
    spans = [(m.start(), m.end(), m.group(0).lower().strip("'")) for m in WORD_SPAN.finditer(text)]
    stems: list[str | None] = []
    j = 0
    for start, _end in enc.offsets:
        while j < len(spans) and spans[j][1] <= start:
            j += 1
        if j < len(spans) and spans[j][0] <= start < spans[j][1]:
            w = spans[j][2]
            stems.append(None if (w in STOPWORDS or len(w) < 2 and not w.isdigit()) else stem(w))
        else:
            stems.append(None)  # punctuation
    return _Side(enc, stems)


def _prf(a: set, r: set) -> tuple[float, float, float]:
    if not a or not r:
        return 0.0, 0.0, 0.0
    inter = len(a & r)
    p, rec = inter / len(a), inter / len(r)
    return p, rec, (2 * p * rec / (p + rec) if p + rec else 0.0)


def _sim(a: _Side, r: _Side, drop: set[str]) -> np.ndarray | None:
    """Cosines between the content tokens of two texts (rows: ``a``), or None if either has none."""
    ia = [i for i, s in enumerate(a.stems) if s is not None and s not in drop]
    ir = [i for i, s in enumerate(r.stems) if s is not None and s not in drop]
    if not ia or not ir:
        return None
    return a.enc.tokens[ia] @ r.enc.tokens[ir].T


def _content_cosine(a: _Side, r: _Side, drop: set[str]) -> float:
    """Cosine of the mean contextual vectors of the two texts' content tokens beyond the
    question's words: what the answer adds, against what the reference adds, in meaning."""
    pooled = []
    for side in (a, r):
        idx = [i for i, s in enumerate(side.stems) if s is not None and s not in drop]
        if not idx:
            return 0.0
        v = side.enc.tokens[idx].mean(axis=0)
        pooled.append(v / max(float(np.linalg.norm(v)), 1e-12))
    return float(pooled[0] @ pooled[1])


def _align(a: _Side, r: _Side, drop: set[str]) -> tuple[float, float, float]:
    """Soft precision/recall: each content token's best cosine to the other side's tokens."""
    sim = _sim(a, r, drop)
    if sim is None:
        return 0.0, 0.0, 0.0
    p = float(sim.max(axis=1).mean())
    rec = float(sim.max(axis=0).mean())
    p, rec = max(p, 0.0), max(rec, 0.0)
    return p, rec, (2 * p * rec / (p + rec) if p + rec else 0.0)


def key_point_recall(point: str, answer: str, drop: set[str] = frozenset()) -> float:
    """How well an answer covers one key point: soft recall of the point's content words.

    Words the answer states verbatim (same stem) always count in full: the soft alignment of
    very short points (one word, a possessive) can miss an exact match.
    """
    soft = _align(_side(answer), _side(point), set(drop))[1]
    wanted = set(content_stems(point)) - set(drop)
    if not wanted:
        return soft
    exact = len(wanted & set(content_stems(answer))) / len(wanted)
    return max(soft, exact)


def extract(
    question: str, reference: str, answer: str, rubric: list[str] | None = None
) -> dict[str, float]:
    """All features of one answer, as a name -> value dict (``FEATURES`` and ``GATE_FEATURES``)."""
    a_st, r_st, q_st = (
        set(content_stems(answer)),
        set(content_stems(reference)),
        set(content_stems(question)),
    )
    drop = q_st if (r_st - q_st) else set()  # never demote the whole reference away
    a_side, r_side, q_side = _side(answer), _side(reference), _side(question)

    f: dict[str, float] = {}
    f["overlap_p"], f["overlap_r"], f["overlap_f1"] = _prf(a_st, r_st)
    f["demoted_p"], f["demoted_r"], f["demoted_f1"] = _prf(a_st - drop, r_st - drop)
    f["align_p"], f["align_r"], f["align_f1"] = _align(a_side, r_side, set())
    f["demoted_align_p"], f["demoted_align_r"], f["demoted_align_f1"] = _align(a_side, r_side, drop)
    sim = _sim(a_side, r_side, drop)
    # Share of tokens with a near-exact counterpart (a hard alignment, as in Sultan et al.).
    f["hard_p"] = float((sim.max(axis=1) >= HARD).mean()) if sim is not None else 0.0
    f["hard_r"] = float((sim.max(axis=0) >= HARD).mean()) if sim is not None else 0.0
    f["cos_ref"] = float(a_side.enc.sentence @ r_side.enc.sentence)
    f["cos_question"] = float(a_side.enc.sentence @ q_side.enc.sentence)
    f["cos_gain"] = f["cos_ref"] - float(r_side.enc.sentence @ q_side.enc.sentence)
    f["cos_content"] = _content_cosine(a_side, r_side, drop)
    f["fuzzy"] = fuzz.token_set_ratio(clean(answer).lower(), clean(reference).lower()) / 100.0
    n_a = len(content_stems(answer))
    n_r = max(len(content_stems(reference)), 1)
    f["log_len"] = float(np.log1p(n_a))
    f["len_ratio"] = min(n_a / n_r, 5.0)
    f["question_share"] = (len(a_st & q_st) / len(a_st)) if a_st else 1.0
    f["negation_mismatch"] = float(has_negation(answer) != has_negation(reference))

    f["order_discord"] = _order_discord(answer, reference)
    f["function_gap"] = _function_share(reference) - _function_share(answer)
    f["negation_flip"] = _negation_flip(answer, reference)
    f["pairs_kept"] = _pairs_kept(answer, reference)
    # Learners drop a glue word or two themselves ("memory address" for "address in memory");
    # only what goes beyond that reads as a list.
    f["glue_dropped"] = float(max(_glue_dropped(answer, reference) - GLUE_SLACK, 0))

    # The key points the feedback names (the rubric's, else the reference's idea units), each
    # measured as the feedback measures it: a reference of two statements half answered is
    # half right, whatever share of its words the answer repeats.
    points = [p for p in (rubric or []) if p.strip()] or idea_units(reference) or [reference]
    recalls = [key_point_recall(p, answer, drop) for p in points]
    f["points_mean"] = float(np.mean(recalls)) if recalls else 0.0
    f["points_min"] = float(np.min(recalls)) if recalls else 0.0
    f["points_covered"] = (
        float(np.mean([r >= COVER_THRESHOLD for r in recalls])) if recalls else 0.0
    )
    return f


HARD = 0.7  # token cosine that counts as "the same word in context"

# Soft recall above which a key point counts as covered (between the dev set's full-mark answers,
# median 0.61, and its wrong answers, 75th percentile 0.26; see docs/grading.md).
COVER_THRESHOLD = 0.5


def vector(f: dict[str, float], names: list[str] = FEATURES) -> np.ndarray:
    return np.array([f[name] for name in names], dtype=np.float64)
