"""The exercise corpus and its caches are kept small (see docs/bench-exercises.md, "Memory"):
compact postings and sentences, bounded memos, per-concept caches dropped once used — and
every one of them gives exactly what the plain computation gives."""

from __future__ import annotations

import bisect
import dataclasses
import random
from collections import Counter

import pytest

from teachback.ingest.exercises.corpus.bm25 import BM25

from .conftest import cold_run, dump_exercises


def test_postings_are_flat_int_arrays_holding_every_count():
    rng = random.Random(3)
    docs = [[rng.choice("abcdefghij") for _ in range(rng.randint(0, 12))] for _ in range(400)]
    index = BM25(docs)
    rebuilt: list[Counter] = [Counter() for _ in docs]
    for term, flat in index.raw.items():
        assert flat.typecode == "i"
        ids = list(flat[0::2])
        assert ids == sorted(set(ids))  # each sentence once, in order
        for i, tf in zip(ids, flat[1::2], strict=True):
            rebuilt[i][term] = tf
    assert rebuilt == [Counter(d) for d in docs]
    assert index.lengths.tolist() == [float(len(d)) for d in docs]


def test_corpus_sentences_are_slotted_claimed_once_then_copied(biology):
    """The first corpus over a document takes its sentences as they are; a second corpus
    (other documents before it: other ids) gets copies sharing the strings; ``sset`` (not
    kept) equals ``frozenset(stems)``."""
    from teachback.core.text import fold
    from teachback.ingest.exercises.corpus import Corpus
    from teachback.ingest.exercises.corpus.sentences import document_sentences
    from teachback.ingest.exercises.text import clean_for_prompt

    bio_doc, _ = biology
    other = dataclasses.replace(bio_doc, path="0-" + bio_doc.path)  # sorts first
    Corpus.release()
    first = Corpus.of([bio_doc])
    both = Corpus.of([other, bio_doc])
    protos = document_sentences(bio_doc).sentences
    assert [s.id for s in protos] == list(range(len(protos))) and len(protos) > 3
    assert all(s is p for s, p in zip(first.sentences, protos, strict=True))
    assert [s.id for s in both.sentences] == list(range(len(both.sentences)))
    for corpus in (first, both):
        for i, s in enumerate(corpus.sentences):
            assert not hasattr(s, "__dict__")
            assert (s.id, s.doc) == (i, bisect.bisect_right(corpus._offsets, i) - 1)
            assert s.folded == fold(s.text) and s.clean_folded == fold(s.clean)
            if fold(s.text) == s.text:
                assert s.folded is s.text  # one string, not two equal ones
            if clean_for_prompt(s.text) == s.text:
                assert s.clean is s.text
            assert s.clean == clean_for_prompt(s.text)
    copies = both.sentences[-len(protos) :]
    for s, p in zip(copies, protos, strict=True):
        assert s is not p and s.id != p.id
        for name in ("start", "end", "text", "clean", "stems", "folded", "clean_folded"):
            assert getattr(s, name) is getattr(p, name)
    for s in copies:  # no set kept per sentence; the one made on request is the plain one
        assert s.__slots__ == protos[0].__slots__ and "_sset" not in s.__slots__
        assert s.sset == frozenset(s.stems)
    Corpus.release()


def test_bounded_memos_stay_within_their_bounds(biology):
    from teachback.ingest.exercises.corpus import Corpus
    from teachback.ingest.exercises.kinds import common, multiple_choice
    from teachback.ingest.exercises.text import term_regex

    assert common._tokens.cache_info().maxsize == common.TOKENS_CACHED
    doc, _ = biology
    corpus = Corpus.of([doc])
    limit = multiple_choice._MEMO_LIMIT
    try:
        multiple_choice._MEMO_LIMIT = 5
        sizes = []
        for name in ("membrane", "osmosis", "diffusion", "cell", "energy", "water"):
            pat = term_regex([name])
            first = multiple_choice._FirstAt(corpus, pat)
            for s in corpus.sentences:
                m = pat.search(s.clean_folded)
                assert first(s) == (m.start() if m else -1)
            memo = corpus.__dict__["_first_at"]
            sizes.append(sum(map(len, memo[1].values())))
            assert memo[0] == sizes[-1]
        # started afresh whenever over the bound: never more than one pattern's worth above
        assert max(sizes) <= 5 + len(corpus.sentences)
    finally:
        multiple_choice._MEMO_LIMIT = limit
        Corpus.release()


def test_parts_in_no_sentence_share_one_empty_set(biology):
    from teachback.ingest.exercises.corpus.sentences import _NO_IDS, _NO_SET, DocSentences

    doc, _ = biology
    cached = DocSentences(doc)
    assert cached._holding("zzqx") is _NO_SET
    assert cached._holding("qqzz") is _NO_SET
    assert cached._part_ids["zzqx"] is cached._part_ids["qqzz"] is _NO_IDS
    for _ in range(2):  # computed, then read back from the compact array
        held = cached._holding("membran")
        want = {i for i, s in enumerate(cached.sentences) if "membran" in s.folded.lower()}
        assert held == want and want
    assert list(cached._part_ids["membran"]) == sorted(want)


@pytest.mark.parametrize("keep", [False, True])
def test_own_only_caches_are_dropped_after_a_concept_and_change_nothing(
    biology, stats_code, monkeypatch, keep
):
    """A concept's ranked neighbours are dropped once its exercises are made; the exercises
    equal those of a run that keeps them (and of a cold run per concept)."""
    import teachback.ingest.exercises as ex
    from teachback.ingest.exercises import generate_checked
    from teachback.ingest.exercises.corpus import Corpus

    (bio_doc, bio), (code_doc, code) = biology, stats_code
    docs, concepts = [bio_doc, code_doc], bio + code

    cold = cold_run(concepts, docs)
    Corpus.release()
    if keep:
        monkeypatch.setattr(ex, "OWN_ONLY", ())
    got = dump_exercises(generate_checked(c, concepts, docs) for c in concepts)
    assert got == cold
    corpus = Corpus.of(docs)
    views = [ex._view(c, concepts, corpus) for c in concepts]
    with_related = [v for v in views if "related" in v.__dict__]
    if keep:
        assert with_related  # the caches exist when kept...
    else:
        assert with_related == []  # ...and none is left behind otherwise
    Corpus.release()


def test_profile_shares_the_mention_id_set_and_equals_the_plain_one(biology, stats_code):
    from teachback.ingest.exercises import generate_checked
    from teachback.ingest.exercises.corpus import Corpus

    (bio_doc, bio), (code_doc, code) = biology, stats_code
    docs, concepts = [bio_doc, code_doc], bio + code
    Corpus.release()
    for c in concepts:
        generate_checked(c, concepts, docs)
    corpus = Corpus.of(docs)
    views = [v for v in corpus.view_cache.values() if v.pattern is not None]
    assert len(views) >= len(concepts) - 2
    shared = 0
    for v in views:
        ids = v._profile[1]
        assert ids == frozenset(s.id for s, _ in v.mentions)
        assert ids == corpus.mention_ids(v.names, v.pattern)
        shared += corpus.mention_ids(v.names, v.pattern) is ids
    assert shared == len(views)  # one set per concept, not two
    Corpus.release()


def test_fill_blank_tokens_keep_offsets_as_arrays_and_fill_as_before(biology):
    from teachback.ingest.exercises.corpus import Corpus
    from teachback.ingest.exercises.kinds import common

    doc, _ = biology
    corpus = Corpus.of([doc])
    for s in corpus.sentences:
        text, starts, ends, tw, where = common._tokens(s.text)
        found = list(common._TOKEN.finditer(text))
        assert [(m.start(), m.end()) for m in found] == list(zip(starts, ends, strict=True))
        assert tw == [m.group(0).strip("'-").lower() for m in found]
        assert where == {w: [i for i, x in enumerate(tw) if x == w] for w in tw}
    fill = common.fill_blank
    assert fill("A _____ is a barrier", "A membrane is a barrier.") == "membrane"
    assert fill("is the _____ of water", "Osmosis is the diffusion of water.") == "diffusion"
    assert fill("is the _____ of water", "Nothing to align here.") is None
    Corpus.release()
