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
