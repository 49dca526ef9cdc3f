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

import numpy as np

from teachback.core.text import fold, sentences
from teachback.ingest.textutil import STOPWORDS, stem, tokens

MAX_WORDS = 4
MAX_WORD_CHARS = 40  # longer "words" are identifiers, hashes or noise, never keyphrases
PRUNE = True
PRUNED_SCORE = -20.0
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
_DETERMINERS = frozenset(
    "a an the this these those its their his her our your my every each".split()
)
_WORDISH = re.compile(r"[A-Za-z]")


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """wordfreq's English word frequencies (shipped inside the package; loaded once, ~1 s)."""
    try:
        from wordfreq import get_frequency_dict
    except ImportError:  # optional: without wordfreq every word counts as mid-frequency
        return {}
    return get_frequency_dict("en", wordlist="best")


_PARTS = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def listed_words(words: list[str]) -> list[str]:
    """The lower-case ``words`` wordfreq lists (the others have ``zipf`` 0), found without
    computing their frequency; all of them without wordfreq (every word is then
    mid-frequency)."""
    freqs = _frequencies()
    return [w for w in words if w in freqs] if freqs else words


@lru_cache(maxsize=500_000)
def zipf(word: str) -> float:
    """Zipf frequency (0..8) of a word or phrase in general English, like
    ``wordfreq.zipf_frequency`` (parts of a hyphenated word combine as 1/sum(1/f))."""
    freqs = _frequencies()
    if not freqs:
        return 4.0
    parts = _PARTS.findall(word.lower())
    if not parts:
        return 0.0
    inv = 0.0
    for p in parts:
        f = freqs.get(p, 0.0)
        if f <= 0.0:
            return 0.0
        inv += 1.0 / f
    return round(max(0.0, math.log10(1.0 / inv) + 9.0), 2)


@lru_cache(maxsize=200_000)
def rarity(word: str) -> float:
    """1 - Zipf/8 of a word in general English (wordfreq); unknown words are 1.0 (rare)."""
    return max(0.0, 1.0 - zipf(word) / 8.0)


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


@lru_cache(maxsize=200_000)  # a text repeats few distinct words, and this runs per token
def _is_candidate_word(w: str) -> bool:
    return (
        1 < len(w) <= MAX_WORD_CHARS
        and (w[0].isalpha() or any(ch.isalpha() for ch in w))
        and w.lower() not in STOPWORDS
    )


SOFT_WRAP_MIN = 50  # a line at least this long that breaks mid-phrase was wrapped, not ended


def _soft_wrap(text: str, end: int, nxt: int) -> bool:
    """The line break between ``text[end]`` and ``text[nxt]`` only wraps a paragraph
    ("the **birthday\nparadox** shows"): one newline, a long line before it, and no list,
    table or heading marker after it. Short lines (titles, table cells, PDF captions) and
    blank lines still end a phrase."""
    gap = text[end:nxt]
    if gap.count("\n") != 1:
        return False
    line_start = text.rfind("\n", 0, end) + 1
    if end - line_start < SOFT_WRAP_MIN:
        return False
    after = gap.split("\n", 1)[1].lstrip(" \t")
    return not after or after[0] not in "-*+|#>"


def _in_identifier(text: str, a: int, b: int) -> bool:
    """The word is part of a snake_case name ("iters" in "max_iters"): code, not prose."""
    return text[a - 1 : a] == "_" or text[b : b + 1] == "_"


def chunks(text: str, start: int = 0, end: int | None = None) -> list[list[tuple[str, int, int]]]:
    """Runs of candidate words bounded by punctuation, stop words and line breaks."""
    out: list[list[tuple[str, int, int]]] = []
    cur: list[tuple[str, int, int]] = []
    prev_end = start
    for tok, a, b in tokens(text, start, end):
        if cur and "\n" in text[prev_end:a] and not _soft_wrap(text, prev_end, a):
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
        if _is_candidate_word(tok) and not _in_identifier(text, a, b):
            cur.append((tok, a, b))
        elif cur:
            if len(cur) > 1 and tok.lower() in _DETERMINERS:
                # A noun phrase's head is rarely followed by "a"/"the": the last word is most
                # likely a verb ("every bucket keeps a list" -> "bucket").
                cur.pop()
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
    normalized: bool = False,
) -> dict[str, Candidate]:
    """All n-gram candidates of ``text[start:end]`` keyed by stemmed key, in first-seen order.

    With ``spans``, the candidates of several pieces of ``text`` (e.g. the paragraphs under one
    heading) are collected into one dict, sentences numbered across the pieces. Pass
    ``normalized=True`` when ``text`` already went through ``textutil.normalize`` (saves copying
    a large text on every call).
    """
    if not normalized:
        text = fold(text)
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
    n_sents = len(sent_starts)
    si = 0
    get = found.get
    for chunk in chunks(text, start, end):
        words = [w for w, _, _ in chunk]
        stems = [stem(w) for w in words]
        while si + 1 < n_sents and sent_starts[si + 1] <= chunk[0][1]:
            si += 1
        sent = base + si
        n_chunk = len(chunk)
        for i in range(n_chunk):
            a = chunk[i][1]
            key = stems[i]
            for j in range(i + 1, min(i + max_words, n_chunk) + 1):
                if j > i + 1:
                    key = f"{key} {stems[j - 1]}"  # the key grows one stem at a time
                b = chunk[j - 1][2]
                surface = text[a:b]
                c = get(key)
                if c is None:
                    c = found[key] = Candidate(key=key, words=tuple(words[i:j]))
                c.occurrences.append((a, b))
                surfaces = c.surfaces
                surfaces[surface] = surfaces.get(surface, 0) + 1
                c.sentences.add(sent)
                if i == 0:
                    c.chunk_start = True
                if j == n_chunk:
                    c.chunk_end = True
                    if i == 0:
                        c.whole_chunk = True
                        c.alone += 1
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
    log1p = math.log1p
    for c in found.values():
        words = c.words
        n = len(words)
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


@lru_cache(maxsize=1)
def load_weights() -> tuple[list[float], list[float], list[float], float]:
    """(means, scales, coefficients, intercept) of the shipped ranker."""
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    if data["features"] != FEATURES:
        raise RuntimeError(f"{WEIGHTS_PATH} was fitted on other features; retrain it")
    return data["mean"], data["scale"], data["coef"], data["intercept"]


def score_candidates(found: dict[str, Candidate], start: int = 0, end: int = 1) -> None:
    """Featurize and set ``Candidate.score`` (a logit) with the shipped weights."""
    if PRUNE:
        # A phrase seen once that does not end where its chunk ends ("neural" in "neural
        # network models") is rarely a key: it gets PRUNED_SCORE without computing features.
        kept = {k: c for k, c in found.items() if c.chunk_end or len(c.occurrences) > 1}
        for c in found.values():
            c.score = PRUNED_SCORE
        found = kept
    featurize(found, start, end)
    if not found:
        return
    mean, scale, coef, intercept = load_weights()
    # Fold the standardisation into the weights: z = b + sum(w/s * x) - sum(w*m/s).
    w = np.asarray(coef) / np.asarray(scale)
    b = intercept - float(np.dot(w, mean))
    cands = list(found.values())
    z = np.asarray([c.features for c in cands]) @ w + b
    for c, v in zip(cands, z.tolist(), strict=True):
        c.score = v


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
