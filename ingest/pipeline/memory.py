"""The garbage collector during an ingest: fewer young collections, a frozen heap in the
exercise stages, and the exercise caches released when those stages end."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# Young-generation size for an ingest (CPython's default is 700). Every stage allocates millions
# of short-lived objects (tokens, n-grams, candidate dicts) that are not garbage cycles; with the
# default each 700 allocations start a collection, and most of that work finds nothing.
INGEST_GC_THRESHOLD0 = 20_000


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Run a stage with the objects that exist when it starts left out of the garbage
    collector's scans (``gc.freeze``), then put them back (``gc.unfreeze``).

    The exercise stages allocate many small objects, and each full collection they trigger
    would rescan everything earlier stages left in memory (documents, concepts, caches).
    Objects made during the stage are still collected as usual; cycles among the older ones
    are found at the next full collection after the stage."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run an ingest with a larger young generation, then restore the collector's thresholds.

    The thresholds are process-wide: other threads see them during the ingest too, which only
    means fewer, larger collections for them (cycles are still collected)."""
    before = gc.get_threshold()
    gc.set_threshold(max(INGEST_GC_THRESHOLD0, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def release_exercise_caches() -> None:
    """At the end of the exercise stages: drop the exercise corpus and its caches (cycles
    broken, so they are freed at once rather than by a full collection scanning them).
    Imported here: a run without exercises need not load the corpus module."""
    from teachback.ingest.exercises.corpus import Corpus

    Corpus.release()
