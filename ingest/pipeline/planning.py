"""Prerequisites, units, and the plan of what to redo (``link_prerequisites``).

A concept's lesson and exercises are made from its name, aliases, definition, evidence and
prerequisites; their fingerprint decides whether they are redone. Only concepts whose
fingerprint changed (or that have no lesson yet) are planned (``todo``), and never a concept an
instructor made or edited.
"""

from __future__ import annotations

import hashlib
import json

from langgraph.runtime import Runtime

from teachback.core.document import Document
from teachback.curricula import ingest_store
from teachback.engine.protocol import ConceptDraft, EdgeDraft, Engine, UnitDraft
from teachback.ingest.pipeline.context import IngestContext
from teachback.ingest.pipeline.guarding import guarded_stage
from teachback.ingest.pipeline.state import LinkIn, LinkOut


@guarded_stage("prerequisites")
def link_prerequisites(state: LinkIn, runtime: Runtime[IngestContext]) -> LinkOut:
    """Stage the edges and units; plan the concepts needing new lessons and exercises."""
    ctx = runtime.context
    concepts, docs = ctx.run.concepts(), ctx.run.docs()
    ctx.progress("prerequisites", 0, 1, "linking prerequisites")
    edges = ctx.engine.link_prerequisites(concepts, docs) if concepts else []
    units = _units(ctx.engine, concepts, edges, docs)
    ctx.run.put("edges", [e.model_dump(mode="json") for e in edges])
    ctx.run.put("units", [u.model_dump(mode="json") for u in units])
    todo = _plan(ctx, state, concepts, edges)
    fresh = ctx.run.get("fresh", [])
    ctx.progress(
        "prerequisites",
        1,
        1,
        f"{sum(e.status == 'active' for e in edges)} edges; "
        f"{len(todo)} concepts need lessons and exercises ({len(fresh)} sources changed)",
    )
    return {"todo": todo}


def _units(
    engine: Engine, concepts: list[ConceptDraft], edges: list[EdgeDraft], docs: list[Document]
) -> list[UnitDraft]:
    """The engine's unit order when it has one, else one unit per first source."""
    if not concepts:
        return []
    return engine.order_units(concepts, edges, docs) or units_by_source(concepts)


def _plan(ctx: IngestContext, state: LinkIn, concepts, edges) -> list[int]:
    """Fingerprint every staged concept row (restaged with it); the indices of those to redo,
    concepts sharing sources together."""
    curriculum = state["curriculum"]
    prereqs = prerequisite_names(concepts, edges)
    rows = ctx.run.get("concepts", [])
    stored_fp = ingest_store.concept_fingerprints(ctx.db, curriculum)
    has_lesson = ingest_store.concepts_with_lessons(ctx.db, curriculum)
    sha = {s["path"]: s["sha256"] for s in state.get("sources", [])}
    todo = []
    for i, (row, concept) in enumerate(zip(rows, concepts, strict=True)):
        fp = fingerprint(concept, prereqs.get(concept.name, []), sha)
        row["fingerprint"] = fp
        if row["protected"]:
            continue
        if stored_fp.get(row["id"]) != fp or row["id"] not in has_lesson:
            todo.append(i)
    # Concepts sharing sources are processed together: engine steps that cache per set of
    # documents (the exercise corpus) then build each cache once.
    todo.sort(key=lambda i: (source_key(concepts[i]), i))
    ctx.run.put("concepts", rows)
    return todo


def source_key(concept: ConceptDraft) -> tuple[str, ...]:
    return tuple(sorted({ev.source for ev in concept.evidence}))


def name_index(concepts: list[ConceptDraft]) -> dict[str, int]:
    """Lower-cased names and aliases -> concept index (names win over aliases)."""
    index: dict[str, int] = {}
    for i, c in enumerate(concepts):
        for alias in c.aliases:
            index.setdefault(alias.lower(), i)
    for i, c in enumerate(concepts):
        index[c.name.lower()] = i
    return index


def prerequisite_names(
    concepts: list[ConceptDraft], edges: list[EdgeDraft]
) -> dict[str, list[str]]:
    """Concept name -> the names of its active prerequisites, in the order of ``edges``."""
    index = name_index(concepts)
    out: dict[str, list[str]] = {}
    for e in edges:
        if e.kind != "prerequisite" or e.status != "active":
            continue
        a, b = index.get(e.prerequisite.lower()), index.get(e.concept.lower())
        if a is None or b is None or a == b:
            continue
        names = out.setdefault(concepts[b].name, [])
        if concepts[a].name not in names:
            names.append(concepts[a].name)
    return out


def fingerprint(concept: ConceptDraft, prereqs: list[str], sha: dict[str, str]) -> str:
    """What a concept's lesson and exercises are made from, hashed."""
    payload = {
        "name": concept.name,
        "aliases": sorted(concept.aliases),
        "definition": concept.definition,
        "evidence": sorted((e.source, e.start, e.end, e.quote) for e in concept.evidence),
        "prereqs": sorted(prereqs),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]


def units_by_source(concepts: list[ConceptDraft]) -> list[UnitDraft]:
    """Fallback when no unit ordering is available: one unit per first source, in order."""
    groups: dict[int, list[ConceptDraft]] = {}
    for c in concepts:
        groups.setdefault(c.first_seen[0], []).append(c)
    return [
        UnitDraft(
            title=f"Unit {n}",
            concepts=[c.name for c in sorted(group, key=lambda c: c.first_seen)],
        )
        for n, (_, group) in enumerate(sorted(groups.items()), 1)
    ]
