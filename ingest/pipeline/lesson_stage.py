"""Lessons (``write_lessons``): one per planned concept, staged batch by batch so a resumed
run skips the batches it finished."""

from __future__ import annotations

from langgraph.runtime import Runtime

from teachback.engine.protocol import EdgeDraft
from teachback.ingest.pipeline.context import IngestContext
from teachback.ingest.pipeline.guarding import guarded_stage
from teachback.ingest.pipeline.planning import prerequisite_names
from teachback.ingest.pipeline.state import LessonsIn, NoUpdate


@guarded_stage("lessons")
def write_lessons(state: LessonsIn, runtime: Runtime[IngestContext]) -> NoUpdate:
    ctx = runtime.context
    concepts = ctx.run.concepts()
    edges = [EdgeDraft.model_validate(e) for e in ctx.run.get("edges", [])]
    prereqs = prerequisite_names(concepts, edges)
    todo = state.get("todo", [])
    ctx.progress("lessons", 0, len(todo), "writing lessons")
    for b, batch in enumerate(ctx.batches(todo)):
        key = f"lessons:{b}"
        if ctx.run.has(key):
            continue  # done before an interruption
        out = {}
        for i in batch:
            concept = concepts[i]
            docs = ctx.run.docs_for(concept)
            lesson = ctx.engine.write_lesson(
                concept, docs, prerequisites=prereqs.get(concept.name, [])
            )
            out[str(i)] = lesson.model_dump(mode="json")
        ctx.run.put(key, out)
        ctx.batch_progress("lessons", b + 1, len(todo))
    return {}
