"""BM25 retrieval (``corpus.BM25``): the fast paths rank exactly as a plain full scoring does."""

from __future__ import annotations

import math
import random
from collections import Counter

import numpy as np
import pytest

from teachback.ingest.exercises.corpus.bm25 import BM25

from .conftest import cold_run, dump_exercises

VOCAB = [f"w{i}" for i in range(40)]


def _docs(seed: int, n: int = 300) -> list[list[str]]:
    rng = random.Random(seed)
    # a skewed vocabulary: a few words in most sentences, most words rare (as in prose)
    weights = [1 / (i + 1) for i in range(len(VOCAB))]
    return [rng.choices(VOCAB, weights, k=rng.randint(3, 14)) for _ in range(n)]


def _brute(docs: list[list[str]], query: list[str], k: int) -> list[tuple[int, float]]:
    """Okapi BM25 written out per sentence, with no index: every sentence scored."""
    n, k1, b = len(docs), 1.4, 0.75
    avg = sum(map(len, docs)) / n
    df = Counter(t for d in docs for t in set(d))
    scored = []
    for i, d in enumerate(docs):
        tf = Counter(d)
        score = 0.0
        for t in set(query):
            if tf[t]:
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                score += idf * tf[t] * (k1 + 1) / (tf[t] + k1 * (1 - b + b * len(d) / avg))
        if score > 0:
            scored.append((i, score))
    scored.sort(key=lambda x: (-x[1], x[0]))
    return scored[:k]


def _same(got, full, k):
    """Same scores, rank by rank; the same sentences, except that sentences with equal scores
    (equal up to rounding: the sums run in another order) may come in either order."""
    close = lambda a, b: math.isclose(a, b, rel_tol=1e-9)  # noqa: E731
    want = full[:k]
    assert len(got) == len(want)
    assert all(close(a, b) for (_, a), (_, b) in zip(got, want, strict=True))
    every = dict(full)
    assert all(close(every[i], score) for i, score in got)  # each one scored right
    if want:  # above the last score no tie can reorder the set
        last = want[-1][1]
        assert {i for i, s in got if not close(s, last)} == {
            i for i, s in want if not close(s, last)
        }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_top_matches_full_scoring_with_and_without_a_base(seed):
    docs = _docs(seed)
    index = BM25(docs)
    rng = random.Random(100 + seed)
    for _ in range(60):
        base = rng.sample(VOCAB[:12], rng.randint(1, 5))  # common words, asked about again
        for _ in range(4):
            extra = rng.sample(VOCAB, rng.randint(0, 3))
            k = rng.choice([1, 5, 20])
            query = base + extra
            full = _brute(docs, query, len(docs))
            _same(index.top(query, k, base=base), full, k)
            _same(index.top(query, k), full, k)  # the same query without a base
            _same(index.top(query[::-1], k, base=base), full, k)  # cached, in any order


def _summed_in_order(index: BM25, query: list[str], base: list[str], k: int):
    """Every sentence scored with a dense array, terms added base first, each part in sorted
    order (the order ``top`` promises), then all sorted by (-score, index): the exact answer
    the pruned paths must give, ties and last bits of the scores included."""
    base_terms = set(base) & set(query)
    order = sorted(base_terms) + sorted(set(query) - base_terms)
    dense = np.zeros(index.n)
    for term in order:
        p = index._posting(term)
        if p is not None:
            dense[p[0]] += p[1]
    ranked = sorted((i for i in range(index.n) if dense[i] > 0), key=lambda i: (-dense[i], i))
    return [(i, float(dense[i])) for i in ranked[:k]]


@pytest.mark.parametrize("seed", [6, 7])
def test_top_is_exactly_the_full_ranking_ties_included(seed):
    """The pruned paths (a floor under the k-th score, the base's ranking read only as far
    as needed) return the same sentences in the same order with the same scores, bit for
    bit, as scoring every sentence: duplicate sentences make many exact ties."""
    docs = _docs(seed, n=2000)
    index = BM25(docs)
    rng = random.Random(200 + seed)
    for _ in range(80):
        base = rng.sample(VOCAB[:15], rng.randint(1, 6))
        for _ in range(3):
            extra = rng.sample(VOCAB, rng.randint(0, 3))
            k = rng.choice([1, 3, 12, 20, 64])
            query = base + extra
            assert index.top(query, k, base=base) == _summed_in_order(index, query, base, k)
            assert index.top(query, k) == _summed_in_order(index, query, [], k)


def test_a_changed_sentence_tied_with_the_base_ranking_comes_first_when_earlier():
    """Sentence 0 (x + the extra term y) and sentence 1 (x + the base term z) score exactly
    the same (y and z are equally rare): the earlier one is the best of one."""
    docs = [["x", "y"], ["x", "z"], ["z", "q"], ["y", "q"]] + [["f", "g"]] * 6
    index = BM25(docs)
    got = index.top(["x", "z", "y"], 1, base=["x", "z"])
    assert got == _summed_in_order(index, ["x", "z", "y"], ["x", "z"], 1)
    assert [i for i, _ in got] == [0]


def test_top_with_unknown_and_single_terms():
    docs = _docs(4)
    index = BM25(docs)
    assert index.top(["nowhere"], 5) == []
    assert index.top(["nowhere"], 5, base=["nowhere"]) == []
    full = _brute(docs, ["w30"], len(docs))
    assert full
    _same(index.top(["w30", "nowhere"], 3, base=["nowhere"]), full, 3)
    assert BM25([]).top(["w1"], 3) == []


def test_remembered_work_gives_the_same_exercises_as_a_cold_run(biology, stats_code):
    """Retrievals, term matches, rarity and views are remembered per corpus: a run over warm
    caches (every concept twice, in reverse the second time) and a run after
    ``Corpus.release()`` write exactly the exercises of a cold run, where every concept
    starts from a new corpus."""
    from teachback.ingest.exercises import generate_checked
    from teachback.ingest.exercises.corpus import Corpus

    (bio_doc, bio), (code_doc, code) = biology, stats_code
    docs, concepts = [bio_doc, code_doc], bio + code

    cold = cold_run(concepts, docs)
    assert sum(map(len, cold)) > 20  # enough exercises to compare
    warm = dump_exercises(generate_checked(c, concepts, docs) for c in reversed(concepts))[::-1]
    assert warm == cold
    assert Corpus.of(docs).__dict__.get("_retrieved")  # the caches were in use
    Corpus.release()
    again = dump_exercises(generate_checked(c, concepts, docs) for c in concepts)
    assert again == cold


def test_remembered_term_matches_equal_a_plain_search(biology):
    from teachback.ingest.exercises.corpus import Corpus
    from teachback.ingest.exercises.kinds.multiple_choice import _FirstAt
    from teachback.ingest.exercises.text import term_regex

    doc, _ = biology
    corpus = Corpus.of([doc])
    for name in ("membrane", "osmosis", "active transport", "cell"):
        pat = term_regex([name])
        first = _FirstAt(corpus, pat)
        for _ in range(2):  # the second pass reads the remembered answers
            for s in corpus.sentences:
                m = pat.search(s.clean_folded)
                assert first(s) == (m.start() if m else -1)


def test_top_reads_the_base_ranking_past_its_first_part():
    """A base ranking is sorted only as far as it is read (``_Ranking``): a query whose other
    terms change most of the base's best sentences must read it further, and still rank
    exactly as a full scoring."""
    docs = _docs(5, n=3000)
    index = BM25(docs)
    base = ["w0", "w1"]  # in most sentences: a long ranking
    for extra, k in ((["w2"], 20), (["w2", "w3"], 50), (["w3", "w7", "w20"], 200)):
        full = _brute(docs, base + extra, len(docs))
        got = index.top(base + extra, k, base=base)
        _same(got, full, k)
    ranking = index._bases[frozenset(base)]
    assert 64 < len(ranking.order) < np.count_nonzero(ranking.dense)  # read on, not sorted whole


def test_no_sentence_of_the_extra_terms_reaches_the_floor():
    """Two extra terms whose sentences cannot score the k-th best base score: none is
    rescored (an empty set, not an error)."""
    from teachback.ingest.exercises.corpus.bm25 import _Posting, _reaching

    dense = np.zeros(100)
    dense[:5] = 10.0
    extra = [
        _Posting(np.array([50]), np.array([0.5]), 0.5),
        _Posting(np.array([60]), np.array([0.7]), 0.7),
    ]
    assert _reaching(dense, extra, 10.0).tolist() == []
    assert _reaching(dense, extra, 1.0).tolist() == [60]  # (50 gains at most 0.5)
    assert _reaching(dense, extra, 0.4).tolist() == [50, 60]
