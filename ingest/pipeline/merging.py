"""Concepts: found in the documents (``extract_concepts``), then merged onto the stored ones
(``merge_concepts``) so a concept keeps its id across re-ingests.

A draft matches a stored concept by slug, else by a name or alias; what an instructor removed
stays removed (a deleted concept is not re-created, a name merged away maps onto the concept it
was merged into); rows an instructor made or edited are marked ``protected`` and never
overwritten. Two drafts landing on one concept are folded into the first.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from teachback.curricula import repository as repo
from teachback.curricula.edits import instructor_overrides
from teachback.engine.protocol import ConceptDraft
from teachback.ingest.pipeline.context import IngestContext
from teachback.ingest.pipeline.guarding import guarded_stage
from teachback.ingest.pipeline.state import ConceptsOut, Guarded, MergeIn


@guarded_stage("concepts")
def extract_concepts(state: Guarded, runtime: Runtime[IngestContext]) -> ConceptsOut:
    ctx = runtime.context
    docs = ctx.run.docs()
    ctx.progress("concepts", 0, 1, f"finding concepts in {len(docs)} sources")
    drafts = ctx.engine.extract_concepts(docs)
    ctx.run.put("drafts", [c.model_dump(mode="json") for c in drafts])
    ctx.progress("concepts", 1, 1, f"{len(drafts)} concepts")
    return {"n_concepts": len(drafts)}


@guarded_stage("merge")
def merge_concepts(state: MergeIn, runtime: Runtime[IngestContext]) -> ConceptsOut:
    """Stage ``concepts``: one row per merged concept, ``{id, slug, protected, draft}``."""
    ctx = runtime.context
    curriculum = state["curriculum"]
    drafts = [ConceptDraft.model_validate(c) for c in ctx.run.get("drafts", [])]
    stored = _StoredConcepts(ctx, curriculum)
    merged: list[dict] = []
    index_of_id: dict[str, int] = {}
    skipped = 0
    for draft in drafts:
        if draft.name.lower() in stored.deleted:
            skipped += 1
            continue
        cid, slug, protected = stored.place(draft, index_of_id)
        if cid in index_of_id:  # two drafts landed on one concept: fold into the first
            _fold(merged[index_of_id[cid]]["draft"], draft)
            continue
        stored.used_slugs.add(slug)
        index_of_id[cid] = len(merged)
        merged.append(
            {
                "id": cid,
                "slug": slug,
                "protected": protected,
                "draft": draft.model_dump(mode="json"),
            }
        )
    ctx.run.put("concepts", merged)
    ctx.run.forget("#concepts")
    kept_out = f" ({skipped} deleted by an instructor left out)" if skipped else ""
    ctx.progress(
        "merge", len(merged), len(merged), f"{len(merged)} concepts after merging{kept_out}"
    )
    return {"n_concepts": len(merged)}


class _StoredConcepts:
    """The curriculum's stored concepts, looked up by slug and by lower-cased name or alias,
    with the instructor's deletions and merges applied."""

    def __init__(self, ctx: IngestContext, curriculum: str):
        self.curriculum = curriculum
        stored = repo.get_concepts(ctx.db, curriculum)
        self.by_slug = {c["slug"]: c for c in stored}
        self.by_name: dict[str, dict] = {}
        for c in stored:
            for n in [c["name"], *c["aliases"]]:
                self.by_name.setdefault(n.lower(), c)
        self.used_slugs = set(self.by_slug)
        overrides = instructor_overrides(ctx.db, curriculum)
        self.deleted = {n.lower() for n in overrides["deleted"]}
        by_id = {c["id"]: c for c in stored}
        for absorbed, keep in overrides["merged"].items():
            if keep in by_id:
                self.by_name[absorbed.lower()] = by_id[keep]

    def match(self, draft: ConceptDraft) -> dict | None:
        match = self.by_slug.get(repo.slugify(draft.name))
        if match is not None:
            return match
        for n in [draft.name, *draft.aliases]:
            if n.lower() in self.by_name:
                return self.by_name[n.lower()]
        return None

    def place(self, draft: ConceptDraft, index_of_id: dict[str, int]) -> tuple[str, str, bool]:
        """``(id, slug, protected)`` of the concept ``draft`` lands on: a stored one it
        matches, else a new one under a slug no other concept uses (``name-2``...)."""
        match = self.match(draft)
        if match is not None:
            protected = bool(match.get("edited")) or match.get("origin") == "instructor"
            return match["id"], match["slug"], protected
        slug = base = repo.slugify(draft.name)
        k = 2
        while slug in self.used_slugs and repo.concept_id(self.curriculum, slug) not in (
            index_of_id
        ):
            slug = f"{base}-{k}"
            k += 1
        return repo.concept_id(self.curriculum, slug), slug, False


def _fold(first: dict, draft: ConceptDraft) -> None:
    """Fold ``draft`` into the staged draft ``first``: its names become aliases, its evidence
    is added."""
    first["aliases"] = sorted({*first["aliases"], draft.name, *draft.aliases} - {first["name"]})
    first["evidence"].extend(e.model_dump(mode="json") for e in draft.evidence)
