"""Exercises: made for the planned concepts (``generate_exercises``), then checked
(``verify_exercises``): every citation must be the sources' own text, no prompt is kept twice,
and when the engine's generator does not check its own output, the engine's self-check runs.

Both stages are batched and staged like the lessons, and run with the heap frozen
(``memory.py``). Sources whose exercises were left out (an exercise stage ran over its budget on
them) give no exercises and are not used to make or check any.
"""

from __future__ import annotations

from typing import Literal

from langgraph.runtime import Runtime

from teachback.core.document import Document
from teachback.engine.protocol import ConceptDraft, Engine, ExerciseDraft, SelfCheckResult
from teachback.ingest.pipeline.context import IngestContext
from teachback.ingest.pipeline.guarding import guarded_stage
from teachback.ingest.pipeline.memory import frozen_heap, release_exercise_caches
from teachback.ingest.pipeline.pool import run_batches
from teachback.ingest.pipeline.spans import grounded
from teachback.ingest.pipeline.state import (
    ExercisesIn,
    ExercisesOut,
    IngestState,
    NoUpdate,
    VerifyIn,
)

# Whether exercise batches may run in worker processes (``pool.py``): only while no exercise
# kind keeps state across concepts that changes what it makes (the essay kinds' true/false
# sides are a function of the corpus and the concept list: ``kinds/sides.py``), so exports
# are identical with one worker or more.
EXERCISES_IN_WORKERS = True


class _Unavailable(Exception):
    """The engine's exercise generation is not in this build: the stage is skipped."""


@guarded_stage("exercises")
def generate_exercises(state: ExercisesIn, runtime: Runtime[IngestContext]) -> ExercisesOut:
    """Stage ``exercises:<batch>``: ``{concept index: {kept, rejected}}``."""
    if not state.get("with_exercises", True):
        return {"exercises": "skip: turned off for this run"}
    with frozen_heap():
        try:
            failed = _generate(runtime.context, state)
        except _Unavailable as err:
            runtime.context.progress("exercises", 0, 0, "exercise generation unavailable: skipped")
            return {"exercises": f"skip: exercise generation unavailable ({err})"}
    notes = list(state.get("notes", []))
    if failed:
        notes.append(f"exercise generation failed for {len(failed)} concept(s), e.g. {failed[0]}")
    return {
        "exercises": (
            "generate_checked" if runtime.context.engine.checks_own_exercises else "make_exercises"
        ),
        "notes": notes,
    }


def after_generate(state: IngestState) -> Literal["verify_exercises", "store"]:
    return "store" if state.get("exercises", "").startswith("skip") else "verify_exercises"


@guarded_stage("verify")
def verify_exercises(state: VerifyIn, runtime: Runtime[IngestContext]) -> NoUpdate:
    """Stage ``verified:<batch>``: each concept's exercises split again into kept and
    rejected, a rejected one with its reasons in its self-check."""
    with frozen_heap():
        try:
            _verify(runtime.context, state)
        finally:
            release_exercise_caches()
    return {}


def exercise_docs(docs: list[Document], no_exercises: dict[str, str]) -> list[Document]:
    """The documents exercises are made and checked from: all but those left out."""
    if not no_exercises:
        return docs
    return [d for d in docs if d.path not in no_exercises]


def makes_exercises(concept: ConceptDraft, no_exercises: dict[str, str]) -> bool:
    """Whether a concept gets exercises: not when every source it comes from had its
    exercises left out (a concept also taught elsewhere keeps them, from the other sources)."""
    if not no_exercises:
        return True
    sources = {ev.source for ev in concept.evidence}
    return not sources or not sources <= no_exercises.keys()


# --- generate ------------------------------------------------------------------------------


def _generate(ctx: IngestContext, state: ExercisesIn) -> list[str]:
    """Generate and stage every unfinished batch (side by side in worker processes when
    ``EXERCISES_IN_WORKERS``); one line per concept that failed."""
    concepts = ctx.run.concepts()
    todo = state.get("todo", [])
    no_exercises = state.get("no_exercises") or {}
    failed: list[str] = []
    ctx.progress("exercises", 0, len(todo), "writing and self-checking exercises")

    def work(batch: list[int]) -> tuple[dict, list[str]]:
        out, failures = {}, []
        # Every concept gets the batch's documents (the same list each time): the exercise
        # corpus and its indexes are built once per document set, distractors come from
        # the whole batch and the self-check answers against all the sources (a corpus per
        # concept's own subset of documents costs several times the CPU).
        docs = exercise_docs(ctx.run.docs(), no_exercises)
        for i in batch:
            concept = concepts[i]
            if not makes_exercises(concept, no_exercises):
                continue
            try:
                kept, rejected = _generate_one(ctx.engine, concept, concepts, docs)
            except _Unavailable:
                raise
            except Exception as err:  # one concept's failure does not sink the ingest
                failures.append(f"{concept.name}: {type(err).__name__}: {err}")
                continue
            out[str(i)] = {
                "kept": [x.model_dump(mode="json") for x in kept],
                "rejected": [x.model_dump(mode="json") for x in rejected],
            }
        return out, failures

    def finish(b: int, result: tuple[dict, list[str]]) -> None:
        out, failures = result
        failed.extend(failures)
        ctx.run.put(f"exercises:{b}", out)
        ctx.batch_progress("exercises", b + 1, len(todo))

    workers = ctx.workers if EXERCISES_IN_WORKERS else 1
    run_batches(workers, ctx.unfinished("exercises", todo), work, finish)
    return failed


def _generate_one(engine: Engine, concept, concepts, docs):
    """``(kept, rejected)`` drafts for one concept. The same ``concepts`` list every time:
    engines may cache per list."""
    try:
        return engine.generate_checked(concept, concepts, docs)
    except ImportError as err:  # exercises are optional: skip the stage cleanly
        raise _Unavailable(str(err)) from err


# --- verify --------------------------------------------------------------------------------


class _Verifier:
    """Checks one run's exercises: grounding, duplicates (across the whole run), self-check."""

    def __init__(self, ctx: IngestContext, self_check: bool, docs: list[Document]):
        self.engine = ctx.engine
        self.self_check = self_check
        self.by_path = {d.path: d for d in docs}
        self.seen_prompts: set[str] = set()

    def remember(self, item: dict) -> None:
        """Prompts kept in a batch verified before an interruption count as seen."""
        self.seen_prompts.update(x["prompt"].strip().lower() for x in item["kept"])

    def check(self, item: dict, docs: list[Document]) -> dict:
        kept, rejected = [], list(item["rejected"])
        kept_drafts: list[ExerciseDraft] = []
        for x in item["kept"]:
            draft = ExerciseDraft.model_validate(x)
            reasons = self._reasons(draft, docs, kept_drafts)
            if reasons:
                check = draft.self_check.model_dump() if draft.self_check else {}
                check.update(passed=False, reasons=[*check.get("reasons", []), *reasons])
                draft.self_check = SelfCheckResult.model_validate(check)
                rejected.append(draft.model_dump(mode="json"))
            else:
                self.seen_prompts.add(draft.prompt.strip().lower())
                kept_drafts.append(draft)
                kept.append(draft.model_dump(mode="json"))
        return {"kept": kept, "rejected": rejected}

    def _reasons(self, draft: ExerciseDraft, docs, kept_drafts) -> list[str]:
        """Why ``draft`` is rejected (none: kept). Its citations are moved onto the text."""
        reasons = []
        draft.citations = grounded(draft.citations, self.by_path)
        if not draft.citations:
            reasons.append("ungrounded: no citation matches its source text")
        if draft.prompt.strip().lower() in self.seen_prompts:
            reasons.append("duplicate: the same prompt is kept for another concept")
        if self.self_check and not reasons:
            result = self.engine.self_check(draft, docs, kept_drafts)
            draft.self_check = result
            if not result.passed:
                reasons.extend(result.reasons or ["self-check failed"])
        return reasons


def _verify(ctx: IngestContext, state: VerifyIn) -> None:
    todo = state.get("todo", [])
    no_exercises = state.get("no_exercises") or {}
    concepts = ctx.run.concepts()
    verifier = _Verifier(ctx, state.get("exercises") == "make_exercises", ctx.run.docs())

    def wanted(i: str) -> bool:
        return makes_exercises(concepts[int(i)], no_exercises)

    ctx.progress("verify", 0, len(todo), "checking citations and duplicates")
    for b, _batch in enumerate(ctx.batches(todo)):
        key = f"verified:{b}"
        if ctx.run.has(key):
            # Verified before an exercise stage was stopped: drop what is now left out.
            staged = ctx.run.get(key, {})
            kept_items = {i: item for i, item in staged.items() if wanted(i)}
            if len(kept_items) != len(staged):
                ctx.run.put(key, kept_items)
            for item in kept_items.values():
                verifier.remember(item)
            continue
        # as in generate_exercises: all of the batch's documents (less those left out)
        docs = exercise_docs(ctx.run.docs(), no_exercises)
        out = {
            i: verifier.check(item, docs)
            for i, item in ctx.run.get(f"exercises:{b}", {}).items()
            if wanted(i)  # else generated before its source's exercises were left out
        }
        ctx.run.put(key, out)
        ctx.batch_progress("verify", b + 1, len(todo))
