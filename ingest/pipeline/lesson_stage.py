"""Lessons (``write_lessons``): one per planned concept, staged batch by batch so a resumed
run skips the batches it finished. Batches are written side by side in worker processes
(``pool.py``): a concept's lesson depends on nothing but the concept, its documents and its
prerequisites' names."""

from __future__ import annotations

from langgraph.runtime import Runtime

from teachback.engine.protocol import EdgeDraft
from teachback.ingest.pipeline.context import IngestContext
from teachback.ingest.pipeline.guarding import guarded_stage
from teachback.ingest.pipeline.planning import prerequisite_names
from teachback.ingest.pipeline.pool import run_batches
from teachback.ingest.pipeline.state import LessonsIn, NoUpdate


@guarded_stage("lessons")
def write_lessons(state: LessonsIn, runtime: Runtime[IngestContext]) -> NoUpdate:
    ctx = runtime.context
    concepts = ctx.run.concepts()
    edges = [EdgeDraft.model_validate(e) for e in ctx.run.get("edges", [])]
    prereqs = prerequisite_names(concepts, edges)
    todo = state.get("todo", [])
    ctx.progress("lessons", 0, len(todo), "writing lessons")

    def work(batch: list[int]) -> dict:
        out = {}
        for i in batch:
            concept = concepts[i]
            docs = ctx.run.docs_for(concept)
            lesson = ctx.engine.write_lesson(
                concept, docs, prerequisites=prereqs.get(concept.name, [])
            )
            out[str(i)] = lesson.model_dump(mode="json")
        return out

    def finish(b: int, out: dict) -> None:
        ctx.run.put(f"lessons:{b}", out)
        ctx.batch_progress("lessons", b + 1, len(todo))

    run_batches(ctx.workers, ctx.unfinished("lessons", todo), work, finish)
    return {}
