"""Keyphrase candidates and their ranking: the statistical core of concept extraction.

Pipeline, for one text:

1. **Candidates** (POS-free): split the text at punctuation and stop words into chunks; every
   1..4-word n-gram inside a chunk is a candidate (so "syntax-sensitive rules" and "rules" both
   are). Surface forms are merged by their Porter-stemmed, lower-cased key.
2. **Features** per candidate (``FEATURES``): length one-hot, in-document frequency, position of
   first occurrence, rarity of its words in general English (``wordfreq`` Zipf values, a
   background corpus shipped inside that PyPI package), whether it is a whole chunk, suffix
   heuristics for noun/adjective/verb-like heads, digits, acronyms.
3. **Ranking**: a logistic regression over those features. Its weights live in
   ``keyphrase_weights.json`` next to this file and were fitted on one half of Inspec (split by a
   hash of the row id) by ``python -m teachback.benchmarks.concepts_train_keyphrases``; the other
   half is the held-out figure reported in ``docs/bench-concepts.md``.
4. **Redundancy**: a candidate whose words are all inside an already-chosen higher-scoring
   candidate and that never occurs on its own is dropped.

Not handled: languages other than English, phrases with inner stop words ("theory of mind").
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from teachback.ingest.textutil import STOPWORDS, normalize, sentences, stem, tokens

MAX_WORDS = 4
WEIGHTS_PATH = Path(__file__).with_name("keyphrase_weights.json")

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
_WORDISH = re.compile(r"[A-Za-z]")


@lru_cache(maxsize=200_000)
def rarity(word: str) -> float:
    """1 - Zipf/8 of a word in general English (wordfreq); unknown words are 1.0 (rare)."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # optional: without wordfreq every word counts as mid-frequency
        return 0.5
    return max(0.0, 1.0 - zipf_frequency(word.lower(), "en") / 8.0)


@dataclass
class Candidate:
    key: str  # stemmed, lower-cased words joined by spaces
    words: tuple[str, ...]  # surface words of the first occurrence
    occurrences: list[tuple[int, int]] = field(default_factory=list)  # (start, end) spans
    surfaces: dict[str, int] = field(default_factory=dict)
    sentences: set[int] = field(default_factory=set)
    whole_chunk: bool = False
    chunk_start: bool = False
    chunk_end: bool = False
    alone: int = 0  # occurrences that are a whole chunk
    score: float = 0.0
    features: list[float] = field(default_factory=list)

    @property
    def tf(self) -> int:
        return len(self.occurrences)

    @property
    def surface(self) -> str:
        """The most frequent surface form (ties: the first seen)."""
        return max(self.surfaces.items(), key=lambda kv: kv[1])[0]


def _is_candidate_word(w: str) -> bool:
    return bool(_WORDISH.search(w)) and w.lower() not in STOPWORDS and len(w) > 1


def chunks(text: str, start: int = 0, end: int | None = None) -> list[list[tuple[str, int, int]]]:
    """Runs of candidate words bounded by punctuation, stop words and line breaks."""
    out: list[list[tuple[str, int, int]]] = []
    cur: list[tuple[str, int, int]] = []
    prev_end = start
    for tok, a, b in tokens(text, start, end):
        if cur and "\n" in text[prev_end:a]:
            out.append(cur)
            cur = []
        prev_end = b
        if tok.endswith(("'s", "'S")) and len(tok) > 3:  # a possessive ends a phrase
            if _is_candidate_word(tok[:-2]):
                cur.append((tok[:-2], a, b - 2))
            if cur:
                out.append(cur)
                cur = []
            continue
        if _is_candidate_word(tok):
            cur.append((tok, a, b))
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def candidates(
    text: str,
    start: int = 0,
    end: int | None = None,
    max_words: int = MAX_WORDS,
    spans: list[tuple[int, int]] | None = None,
) -> dict[str, Candidate]:
    """All n-gram candidates of ``text[start:end]`` keyed by stemmed key, in first-seen order.

    With ``spans``, the candidates of several pieces of ``text`` (e.g. the paragraphs under one
    heading) are collected into one dict, sentences numbered across the pieces.
    """
    text = normalize(text)
    end = len(text) if end is None else end
    found: dict[str, Candidate] = {}
    base = 0
    for a, b in spans if spans is not None else [(start, end)]:
        base = _collect(text, a, b, max_words, found, base)
    return found


def _collect(
    text: str, start: int, end: int, max_words: int, found: dict[str, Candidate], base: int
) -> int:
    """Add the candidates of ``text[start:end]`` to ``found``; return the next sentence number."""
    sent_spans = sentences(text, start, end)
    sent_starts = [s for s, _ in sent_spans]
    si = 0
    for chunk in chunks(text, start, end):
        stems = [stem(w) for w, _, _ in chunk]
        while si + 1 < len(sent_starts) and sent_starts[si + 1] <= chunk[0][1]:
            si += 1
        n_chunk = len(chunk)
        for i in range(n_chunk):
            for n in range(1, min(max_words, n_chunk - i) + 1):
                j = i + n
                key = " ".join(stems[i:j])
                a, b = chunk[i][1], chunk[j - 1][2]
                surface = text[a:b]
                c = found.get(key)
                if c is None:
                    c = found[key] = Candidate(key=key, words=tuple(w for w, _, _ in chunk[i:j]))
                c.occurrences.append((a, b))
                c.surfaces[surface] = c.surfaces.get(surface, 0) + 1
                c.sentences.add(base + si)
                if i == 0 and j == n_chunk:
                    c.whole_chunk = True
                    c.alone += 1
                c.chunk_start |= i == 0
                c.chunk_end |= j == n_chunk
    return base + max(1, len(sent_spans))


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
    for c in found.values():
        n = len(c.words)
        words = c.words
        head = words[-1].lower()
        first = words[0].lower()
        rar = [rarity(w) for w in words]
        wtf = [word_tf.get(stem(w), 1) for w in words]
        c.features = [
            float(n == 1),
            float(n == 2),
            float(n == 3),
            float(n >= 4),
            math.log1p(c.tf),
            (c.occurrences[0][0] - start) / length,
            float(0 in c.sentences),
            math.log1p(len(c.sentences)),
            sum(rar) / n,
            min(rar),
            rar[-1],
            sum(math.log1p(t) for t in wtf) / n,
            float(c.whole_chunk),
            float(c.chunk_start),
            float(c.chunk_end),
            float(head.endswith(_NOUN_SUFFIX) or (head.endswith("s") and not head.endswith("ss"))),
            float(head.endswith(_ADJ_SUFFIX)),
            float(head.endswith(_VERB_SUFFIX) or head.endswith("ing") or head.endswith("ly")),
            float(first.endswith("ly")),
            float(first.endswith(("ed", "ing", "ize", "ise")) and n > 1),
            float(any(ch.isdigit() for w in words for ch in w)),
            float(any(len(w) > 1 and w.isupper() for w in words)),
            float(any(w[:1].isupper() for w in words[1:])),
            math.log1p(c.alone),
            math.log1p(sub_tf.get(c.key, 0)),
        ]


@lru_cache(maxsize=1)
def load_weights() -> tuple[list[float], list[float], list[float], float]:
    """(means, scales, coefficients, intercept) of the shipped ranker."""
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    if data["features"] != FEATURES:
        raise RuntimeError(f"{WEIGHTS_PATH} was fitted on other features; retrain it")
    return data["mean"], data["scale"], data["coef"], data["intercept"]


def score_candidates(found: dict[str, Candidate], start: int = 0, end: int = 1) -> None:
    """Featurize and set ``Candidate.score`` (a logit) with the shipped weights."""
    featurize(found, start, end)
    mean, scale, coef, intercept = load_weights()
    for c in found.values():
        z = intercept
        for x, m, s, w in zip(c.features, mean, scale, coef, strict=True):
            z += w * (x - m) / s
        c.score = z


def select(ranked: Iterable[Candidate], k: int) -> list[Candidate]:
    """Top ``k`` from a ranked list, dropping a phrase that only occurs inside a chosen one."""
    chosen: list[Candidate] = []
    for c in ranked:
        if len(chosen) >= k:
            break
        if c.alone == 0 and any(f" {c.key} " in f" {o.key} " for o in chosen):
            continue
        chosen.append(c)
    return chosen


def extract_keyphrases(text: str, k: int = 10) -> list[str]:
    """The top ``k`` keyphrases of ``text`` (surface forms), best first."""
    found = candidates(text)
    score_candidates(found, 0, len(text))
    ranked = sorted(found.values(), key=lambda c: (-c.score, c.occurrences[0][0]))
    return [c.surface for c in select(ranked, k)]
