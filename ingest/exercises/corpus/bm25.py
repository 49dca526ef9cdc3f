"""Okapi BM25 over the corpus's sentences: how the self-checker retrieves the passages that
answer an exercise."""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from typing import NamedTuple

import numpy as np


class BM25:
    """Okapi BM25; a term's posting weights become a numpy array the first time a query uses
    the term (most terms are never queried).

    ``top`` ranks only what can change: a query that repeats a ``base`` (a description asked
    about with each of its terms) takes the base's scores, already ranked, from a cache and
    re-scores just the sentences holding one of the other terms. Scores are summed over the
    terms in sorted order (base terms first), so a query's result does not depend on the
    order of its words or on the process's string hashing. (Whole answers are not cached
    here: ``kinds.common.retrieve`` remembers them per corpus, and few queries reach this
    twice.)
    """

    BASE_BYTES = 48 * 2**20  # memory for cached base rankings

    def __init__(self, docs: list, k1: float = 1.4, b: float = 0.75):
        self.n = len(docs)
        self.k1, self.b = k1, b
        lengths = [sum(d.values()) if isinstance(d, dict) else len(d) for d in docs]
        self.avg = (sum(lengths) / len(docs)) if docs else 1.0
        self.lengths = np.array(lengths, dtype=np.float64)
        # a term's postings as one flat int32 array (sentence, tf, sentence, tf, ...): a list
        # of (int, int) tuples costs ~25x the memory (~1.6 million postings at 16 MB)
        raw: dict[str, array] = defaultdict(lambda: array("i"))
        for i, d in enumerate(docs):
            counts = d if isinstance(d, dict) else Counter(d)
            for term, tf in counts.items():
                raw[term].extend((i, tf))
        self.raw: dict[str, array] = dict(raw)
        self.postings: dict[str, _Posting] = {}
        self._bases: dict[frozenset, _Ranking] = {}
        self._base_slots = max(8, self.BASE_BYTES // (16 * max(self.n, 1)))

    def _posting(self, term: str):
        hit = self.postings.get(term)
        if hit is None:
            flat = self.raw.get(term)
            if not flat:
                return None
            pairs = np.frombuffer(flat, dtype=np.intc).reshape(-1, 2)
            n, df = max(self.n, 1), len(pairs)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            idx = pairs[:, 0].astype(np.int64)
            tf = pairs[:, 1].astype(np.float64)
            lens = self.lengths[idx]
            norm = tf + self.k1 * (1 - self.b + self.b * lens / self.avg)
            weights = idf * tf * (self.k1 + 1) / norm
            hit = self.postings[term] = _Posting(idx, weights, float(weights.max()))
        return hit

    def _scores(self, postings: list[_Posting]) -> np.ndarray:
        """Summed scores of the terms of ``postings`` (in the order given) for every
        sentence."""
        dense = np.zeros(self.n)
        for p in postings:
            dense[p.idx] += p.weights  # (a term's posting lists each sentence once)
        return dense

    def _ranked(self, base: frozenset) -> _Ranking:
        """``base``'s scores for every sentence and its ranking — the last few bases are
        kept."""
        hit = self._bases.pop(base, None)
        if hit is None:
            postings = [p for p in map(self._posting, sorted(base)) if p is not None]
            hit = _Ranking(self._scores(postings), postings)
            while len(self._bases) >= self._base_slots:
                self._bases.pop(next(iter(self._bases)))
        self._bases[base] = hit  # most recently used last
        return hit

    def _top(self, terms: frozenset, k: int, base: frozenset) -> list[tuple[int, float]]:
        postings = [p for p in map(self._posting, sorted(terms)) if p is not None]
        if not postings:
            return []
        if len(postings) == 1:
            return _best(postings[0].idx, postings[0].weights, k)
        if base and any(self._posting(t) is not None for t in base):
            extra = [p for p in map(self._posting, sorted(terms - base)) if p is not None]
            return self._top_on_base(self._ranked(base), extra, k)
        return self._top_dense(postings, k)

    def _top_dense(self, postings: list, k: int) -> list[tuple[int, float]]:
        """Every sentence scored; only those scoring at least a bound on the k-th best
        score (``_floor``) are ranked, so a query whose common words touch most sentences
        sorts a few of them, not all."""
        if sum(len(p.idx) for p in postings) * SPARSE_SHARE < self.n:
            return _top_sparse(postings, k)
        dense = np.zeros(self.n)
        for p in postings:
            dense[p.idx] += p.weights  # (a term's posting lists each sentence once)
        floor = _floor(dense, postings, k)
        cand = np.flatnonzero(dense >= floor if floor > 0 else dense > 0)
        return _best(cand, dense[cand], k)

    @staticmethod
    def _top_on_base(ranking: _Ranking, extra: list[_Posting], k: int):
        """The query ``base + extra`` from the base's cached ranking: only the sentences
        holding an ``extra`` term change score (base + extra terms, summed in the order a
        full scoring uses); the rest keep their place in the base's ranking."""
        dense = ranking.dense
        best_base = ranking.head(k)
        if not extra:
            return [(int(i), float(dense[i])) for i in best_base]
        # every sentence scores at least its base score, so the k-th best base score is a
        # floor for the k-th best: a changed sentence that cannot reach it is not scored
        floor = float(dense[best_base[-1]]) if len(best_base) == k else 0.0
        if len(extra) == 1:
            changed, scores = extra[0].idx, dense[extra[0].idx] + extra[0].weights
        else:
            changed = _reaching(dense, extra, floor)
            if changed is None:  # most sentences may reach it: score them all
                return _top_of_all(dense, extra, floor, k)
            scores = _add_terms(dense, extra, changed)
        # the k best sentences that keep their base score: none after them can enter the
        # top k, and a changed sentence must score at least the k-th of them to
        head = ranking.first_not([p.idx for p in extra], k)
        if len(head) == k:
            keep = scores >= dense[head[-1]]
            changed, scores = changed[keep], scores[keep]
        return _best(np.concatenate([head, changed]), np.concatenate([dense[head], scores]), k)

    def top(
        self, query: list[str], k: int, base: list[str] | None = None
    ) -> list[tuple[int, float]]:
        """The ``k`` best (index, score) pairs, best first (ties: earlier first). ``base``:
        a part of ``query`` asked about repeatedly, whose ranking is cached."""
        if not self.n:
            return []
        terms = frozenset(query)
        return self._top(terms, k, frozenset(base or ()) & terms)


def _best(cand: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The ``k`` best (index, score) pairs by score, ties to the smaller index."""
    if len(cand) > 4 * k:  # cut to the k best first (ties at the cut: keep them all)
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = scores >= kth
        cand, scores = cand[keep], scores[keep]
    order = np.lexsort((cand, -scores))[:k]
    return [(int(cand[j]), float(scores[j])) for j in order]


# a query whose postings hold fewer than 1/SPARSE_SHARE of the sentences is scored over its
# own sentences only, not over an array of every sentence
SPARSE_SHARE = 16


def _top_sparse(postings: list[_Posting], k: int) -> list[tuple[int, float]]:
    """``_top_dense`` over the sentences the terms name only: the same sums (each starts at
    0.0 and adds the terms' weights in the order given), the same floor, the same result."""
    ids = np.unique(np.concatenate([p.idx for p in postings]))
    scores = np.zeros(len(ids))
    for p in postings:
        scores[np.searchsorted(ids, p.idx)] += p.weights
    lists = [p.idx for p in postings if len(p.idx) >= k]
    floor = 0.0
    if lists:  # (as ``_floor``: the k-th best among the shortest list with k sentences)
        some = scores[np.searchsorted(ids, min(lists, key=len))]
        floor = float(np.partition(some, len(some) - k)[len(some) - k])
    keep = scores >= floor if floor > 0 else scores > 0
    return _best(ids[keep], scores[keep], k)


def _floor(dense: np.ndarray, postings: list, k: int) -> float:
    """A score the k-th best sentence reaches: the k-th best among the sentences of one
    term's posting list (the shortest with k of them; real sentences, so at least k score
    that much). 0 when no list has k sentences."""
    lists = [p.idx for p in postings if len(p.idx) >= k]
    if not lists:
        return 0.0
    scores = dense[min(lists, key=len)]
    return float(np.partition(scores, len(scores) - k)[len(scores) - k])


def _add_terms(dense: np.ndarray, extra: list[_Posting], changed: np.ndarray) -> np.ndarray:
    """The scores of the ``changed`` sentences (sorted): ``dense`` plus each ``extra``
    term's weight, added in the order given (a full scoring's sums: adding 0.0 for a term
    a sentence lacks leaves its sum as it was)."""
    scores = dense[changed]
    for idx, weights, _ in extra:
        at = np.minimum(np.searchsorted(idx, changed), len(idx) - 1)
        scores = scores + np.where(idx[at] == changed, weights[at], 0.0)
    return scores


def _top_of_all(dense: np.ndarray, extra: list[_Posting], floor: float, k: int):
    """The k best of ``dense`` plus the ``extra`` terms over every sentence, ranking only
    those at or above ``floor``."""
    full = dense.copy()
    for idx, weights, _ in extra:
        full[idx] += weights
    cand = np.flatnonzero(full >= floor if floor > 0 else full > 0)
    return _best(cand, full[cand], k)


def _reaching(dense: np.ndarray, extra: list[_Posting], floor: float) -> np.ndarray | None:
    """The sentences holding an ``extra`` term that may score ``floor`` or more, sorted
    (None when they are more than a sixteenth of all sentences: adding over every sentence
    is then cheaper).

    With the terms in increasing order of their largest weight, a sentence whose last term
    in that order is the j-th gains at most the sum of the first j largest weights; so from
    the j-th term's sentences only those whose base score plus that sum reaches the floor
    are kept (a hair more, for rounding). Common words have the smallest weights: of their
    long lists, few sentences are kept."""
    kept, reach, size = [], 0.0, 0
    for idx, _, bound in sorted(extra, key=lambda p: p.bound):
        reach += bound
        kept.append(idx[dense[idx] + reach * (1 + 1e-9) >= floor])
        size += len(kept[-1])
        if size * 16 > len(dense):
            return None
    ids = np.concatenate(kept)
    if not len(ids):  # (no sentence can reach the floor: the first-of-each mask needs one)
        return ids
    ids.sort()
    return ids[np.concatenate(([True], ids[1:] != ids[:-1]))]


class _Posting(NamedTuple):
    """A term's sentences (ascending), its BM25 weight in each, and the largest weight."""

    idx: np.ndarray
    weights: np.ndarray
    bound: float


class _Ranking:
    """A base query's scores for every sentence, and its ranking (best first, ties: earlier
    first), sorted only as far as it is read: a query needs its first few sentences, and
    sorting every sentence a common word scores cost most of a query."""

    __slots__ = ("dense", "postings", "order", "whole")
    FIRST = 64  # sentences ranked at first; more when asked for (doubling)

    def __init__(self, dense: np.ndarray, postings: list[_Posting]):
        self.dense = dense
        self.postings = postings  # the base's terms: a bound on its m-th best (``_floor``)
        self.order = np.zeros(0, dtype=np.int64)
        self.whole = False  # every scoring sentence ranked

    def head(self, m: int) -> np.ndarray:
        """The first ``m`` sentences of the ranking (fewer when fewer score)."""
        if len(self.order) < m and not self.whole:
            want = max(m, 2 * len(self.order), self.FIRST)
            # only sentences scoring at least a bound on the want-th best score can be
            # among the want best: a common word's base scores most sentences, and
            # partitioning them all cost more than the rest of a query
            floor = _floor(self.dense, self.postings, want)
            cand = np.flatnonzero(self.dense >= floor if floor > 0 else self.dense > 0)
            scores = self.dense[cand]
            if want < len(cand):  # the `want` best; ties at the cut all kept (a prefix still)
                kth = np.partition(scores, len(scores) - want)[len(scores) - want]
                keep = scores >= kth
                cand, scores = cand[keep], scores[keep]
            else:
                self.whole = floor <= 0
            self.order = cand[np.lexsort((cand, -scores))]
        return self.order[:m]

    def first_not(self, skip: list[np.ndarray], k: int) -> np.ndarray:
        """The first ``k`` sentences of the ranking in none of ``skip`` (sorted ids)."""
        m = k
        while True:
            head = self.head(m)
            out = head[~np.any([_members(head, ids) for ids in skip], axis=0)]
            if len(out) >= k or len(head) < m:
                return out[:k]
            m = 2 * m + (len(head) - len(out))


def _members(ids: np.ndarray, sorted_ids: np.ndarray) -> np.ndarray:
    """Which of ``ids`` are in ``sorted_ids`` (a search per id: no mask over every
    sentence)."""
    if not len(sorted_ids):
        return np.zeros(len(ids), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    return sorted_ids[at] == ids
