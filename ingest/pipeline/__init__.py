"""The ingest agent: a checkpointed LangGraph pipeline from source files to a stored curriculum.

    read → chunk → extract concepts → merge across sources → link prerequisites
         → write lessons → generate exercises → verify exercises → store

``run_ingest(db, paths, curriculum)`` runs it and returns an ``IngestSummary``.

How it is built (one module per job):

* **Small state, staged data** (``state.py``, ``staging.py``). The graph state (checkpointed
  after every node by LangGraph's ``SqliteSaver``) holds only bookkeeping: which sources are
  new, changed or unchanged, which concepts need new lessons and exercises, the errors. The
  heavy data (documents, concept drafts, lessons, exercises) is written by each node to a
  staging table in the same checkpoint file (``<db>.ingest.sqlite``), keyed by the run's
  thread, so a checkpoint stays a few kilobytes whatever the corpus size.
* **Nodes are named functions** of a slice of the state and LangGraph's run context
  (``context.py``): ``reading``, ``merging``, ``planning``, ``lesson_stage``,
  ``exercise_stage``, ``storing``, wired in ``graph.py``.
* **Resumable** (``checkpoints.py``). An interrupted run (Ctrl-C, a crash, a killed process)
  leaves its checkpoint; the same command resumes from the first unfinished node, and the
  lesson and exercise stages also resume inside a node, batch by batch (each batch is staged
  when done). A successful run deletes its checkpoint and staging rows.
* **Bounded** (``guarding.py``). Each stage runs under a time and memory budget that grows with
  the run's new text; a stage that runs over leaves the largest new source out (or, for an
  exercise stage, only that source's exercises) and the rest of the batch lands.
* **Side by side** (``pool.py``). The lesson and exercise stages' batches are independent:
  with ``workers`` above 1 they run in forked worker processes (sharing the parent's memory
  pages), finished batches staged in batch order by this process, under the same guard.
* **Nothing half-stored** (``storing.py``). Only the last node writes to the curriculum store,
  in one transaction: a run that fails anywhere changes nothing a learner or instructor sees.
* **Incremental.** Each source is stored with the sha256 of its bytes. Unchanged sources reuse
  their stored passages (rebuilt into ``Document``s, never re-chunked); when no source of the
  batch is new or changed the run stores nothing. Otherwise concepts and prerequisites are
  recomputed over the whole curriculum (they are global by nature: merging across sources,
  relative importance), but lessons and exercises — the expensive part — are redone only for
  concepts whose fingerprint (name, definition, aliases, evidence, prerequisites) changed.
  Rows an instructor made or edited (``origin='instructor'`` or ``edited=1``) are never
  overwritten; their evidence into a changed source is re-anchored by its quote, or dropped
  when the quote is gone.
* **Bad input.** Readers report unreadable files as one-line ``SourceError``s; they are recorded
  on the source row (status ``"error"``) while everything already stored for that path is kept
  as it was, and the rest of the batch lands.

What it does not do: delete sources (the instructor's library does), or remember concepts an
instructor deleted (a re-ingest of the same sources proposes them again).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterable

from teachback.curricula import ingest_store
from teachback.curricula.db import Database, store_file
from teachback.engine.protocol import Engine
from teachback.errors import SourceError
from teachback.ingest.guard import StageStopped
from teachback.ingest.pipeline.checkpoints import checkpoint_path, checkpointer, compact, thread_id
from teachback.ingest.pipeline.chunking import chunk_document
from teachback.ingest.pipeline.context import IngestContext, ProgressFn
from teachback.ingest.pipeline.graph import build_ingest_graph
from teachback.ingest.pipeline.guarding import EXERCISE_STAGES, largest_new_source
from teachback.ingest.pipeline.memory import (
    INGEST_GC_THRESHOLD0,
    fewer_collections,
    release_exercise_caches,
)
from teachback.ingest.pipeline.memory import frozen_heap as _frozen_heap  # (tests' name)
from teachback.ingest.pipeline.pool import machine_workers
from teachback.ingest.pipeline.staging import StagedRun, Staging
from teachback.ingest.pipeline.summary import IngestSummary, summarize

BATCH = 64  # concepts per staged batch in the lesson and exercise stages

_ADVICE = "split the file, or raise TEACHBACK_INGEST_SECONDS_PER_MB / TEACHBACK_INGEST_MEMORY_MB"


def run_ingest(
    db: Database,
    paths: Iterable[str | os.PathLike],
    curriculum: str = "default",
    engine: Engine | None = None,
    on_progress: ProgressFn | None = None,
    resume: bool = True,
    max_file_bytes: int | None = None,
    exercises: bool = True,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    workers: int | None = None,
) -> IngestSummary:
    """Ingest ``paths`` (files, folders, zip archives) into ``curriculum`` and return a summary.

    Unreadable files are reported in ``summary.errors`` (one line each) and do not stop the
    batch. With ``resume=True`` an interrupted run of the same paths into the same curriculum
    continues where it stopped; ``resume=False`` starts over. ``on_progress`` receives
    ``{"stage", "done", "total", "message"}`` dicts. ``workers``: processes the lesson and
    exercise stages run in (default ``$TEACHBACK_INGEST_WORKERS``, else the machine's CPUs;
    1 runs everything in this process; the result is the same). Exceptions other than bad
    input (a bug, Ctrl-C) propagate; the store is then unchanged and the run can be resumed.
    """
    started = time.monotonic()
    paths = [str(p) for p in paths]
    engine = _engine_for(engine, db)
    workers = _workers_for(engine, workers)
    thread = thread_id(curriculum, paths)
    cp_path = checkpoint_path(db)
    run_id = ingest_store.start_run(db, curriculum, paths)
    staging = Staging(cp_path)
    first_input = {
        "curriculum": curriculum,
        "paths": paths,
        "max_file_bytes": max_file_bytes,
        "with_exercises": exercises,
        "include": list(include),
        "exclude": list(exclude),
    }
    context = IngestContext(db, engine, StagedRun(staging, thread), on_progress, BATCH, workers)
    status, stats = "failed", {"paths": paths}
    try:
        with fewer_collections(), checkpointer(cp_path) as saver:
            graph = build_ingest_graph(saver)
            config = {"configurable": {"thread_id": thread}, "recursion_limit": 50}
            snapshot = graph.get_state(config)
            resumed = bool(resume and snapshot.next)
            if resumed and on_progress:
                message = f"resuming at {', '.join(snapshot.next)}"
                on_progress({"stage": "resume", "done": 0, "total": 0, "message": message})
            final = _run_graph(graph, saver, config, context, first_input, resumed)
            summary = summarize(db, curriculum, final, resumed)
            usage = engine.usage_report()
            if usage is not None:
                summary.llm = usage
                summary.tokens = int(usage.get("tokens", 0))
            saver.delete_thread(thread)
            staging.clear(thread)
        status = "done"
        summary.seconds = round(time.monotonic() - started, 3)
        summary.run_id = run_id
        stats = summary.model_dump(mode="json")
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        staging.close()
        if status == "done" and cp_path:
            compact(cp_path)
        ingest_store.finish_run(db, run_id, status, stats)
    return summary


def _engine_for(engine: Engine | None, db: Database) -> Engine:
    """The engine to run with: the embedded one by default, in its view for this run (an LLM
    engine's has its own token count, budget and cache)."""
    if engine is None:
        from teachback.ingest.algorithms import ingest_engine

        engine = ingest_engine()
    return engine.for_ingest(store_file(db))


def _workers_for(engine: Engine, workers: int | None) -> int:
    """Processes for the batched stages. Only the embedded engine's steps run in forked
    workers: they compute from their arguments alone, where another engine may count tokens,
    cache answers or hold a connection that a copy of this process must not share."""
    from teachback.engine.embedded import EmbeddedEngine

    if workers is not None and workers < 1:
        raise ValueError("workers must be at least 1")
    if not isinstance(engine, EmbeddedEngine):
        return 1
    return machine_workers() if workers is None else workers


def _run_graph(graph, saver, config, context: IngestContext, first_input: dict, resumed: bool):
    """Invoke the graph until it finishes (its final state). A stage that runs over its budget
    is handled by ``_after_stop`` and the run goes on (or starts again without a source)."""
    thread = context.run.thread
    left_out: dict[str, str] = {}
    go_on = resumed  # continue the thread's run (else start it afresh)
    while True:
        try:
            if go_on:
                return graph.invoke(None, config, context=context, durability="sync")
            saver.delete_thread(thread)
            context.run.staging.clear(thread)
            start = {**first_input, "left_out": left_out}
            return graph.invoke(start, config, context=context, durability="sync")
        except StageStopped as stop:
            go_on = _after_stop(graph, config, stop, left_out)
            release_exercise_caches()
            gc.collect()


def _after_stop(graph, config, stop: StageStopped, left_out: dict[str, str]) -> bool:
    """Leave out what made a stage run over; whether to go on from the stopped stage.

    An exercise stage: concepts and lessons are done, so keep them, leave only the biggest new
    source's exercises out, and go on. Any other stage: leave the biggest new source out (its
    error line says why, ``left_out`` is updated) and start again without it. Re-raises when
    there is nothing left to leave out."""
    values = graph.get_state(config).values
    sources = values.get("sources", [])
    if stop.stage in EXERCISE_STAGES:
        no_exercises = dict(values.get("no_exercises") or {})
        path = largest_new_source(sources, besides=no_exercises)
        if path is None:
            raise stop
        no_exercises[path] = f"exercises left out: the {stop.stage} stage {stop.problem}; {_ADVICE}"
        graph.update_state(config, {"no_exercises": no_exercises})
        return True
    path = largest_new_source(sources)
    if path is None or path in left_out:
        raise stop
    left_out[path] = f"left out: the {stop.stage} stage {stop.problem}; {_ADVICE}"
    return False


__all__ = [
    "BATCH",
    "INGEST_GC_THRESHOLD0",
    "IngestSummary",
    "SourceError",
    "_frozen_heap",
    "build_ingest_graph",
    "checkpoint_path",
    "chunk_document",
    "run_ingest",
]
