"""The exercise stages run with older objects frozen out of the collector, and put them back."""

from __future__ import annotations

import gc

import pytest

from teachback.ingest.pipeline import _frozen_heap


def test_frozen_heap_freezes_during_the_stage_and_unfreezes_after():
    before = gc.get_freeze_count()
    old = [object() for _ in range(10)]  # objects from "earlier stages"
    with _frozen_heap():
        assert gc.get_freeze_count() >= len(old)
    assert gc.get_freeze_count() == before
    with pytest.raises(RuntimeError), _frozen_heap():
        raise RuntimeError("a failing stage")
    assert gc.get_freeze_count() == before  # unfrozen even when the stage fails


def test_cycles_made_during_the_stage_are_still_collected():
    class Node:
        pass

    with _frozen_heap():
        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
        assert gc.collect() >= 2


def test_released_corpus_is_freed_without_a_collection(biology):
    """Views point back at their corpus; release() breaks that cycle, so reference counting
    frees the corpus even while the collector is off (as it is, in effect, for frozen
    objects), and the next ``Corpus.of`` builds a new one."""
    import weakref

    from teachback.ingest.exercises import generate_checked
    from teachback.ingest.exercises.corpus import Corpus

    doc, concepts = biology
    docs = [doc]
    Corpus.release()
    gc.disable()
    try:
        for c in concepts:
            generate_checked(c, concepts, docs)
        corpus = Corpus.of(docs)
        assert corpus.view_cache  # views of the concepts, each pointing back at the corpus
        ref = weakref.ref(corpus)
        del corpus
        assert ref() is not None  # still cached
        Corpus.release()
        assert ref() is None  # freed by reference counting alone
        again = Corpus.of(docs)
        assert again is Corpus.of(docs) and not again.view_cache
    finally:
        gc.enable()
