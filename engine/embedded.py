"""The embedded engine: offline, deterministic, CPU only — the default ``Engine``.

It owns no algorithm itself: it runs the offline algorithms of the packages that own them,
handed to it by its caller. ``ingest`` owns concept extraction, the prerequisite graph, lessons
and exercises (``teachback.ingest.algorithms.IngestSteps``); ``tutor`` owns grading, answers,
hints and explanations (``teachback.tutor.algorithms.TutorSteps``). Both packages sit above the
engine and import it, so the engine cannot import them: each half comes in through the
constructor, typed by a ``Protocol`` below, and every dependency stays visible to the import
checks (lint-imports). The caller builds what it runs: the ingest pipeline an engine with the
ingest half, the tutor's pages one with the tutor half, tests and benchmarks both. A step
whose half is missing raises ``ModelUnavailable`` naming it.

``get_engine`` picks the configured engine around an embedded one: the embedded engine itself,
or the LLM engine (``openai_engine``) falling back to it step by step.
"""

from __future__ import annotations

import os
from typing import Protocol

from teachback.core.document import Document
from teachback.engine.protocol import (
    ConceptDraft,
    EdgeDraft,
    Engine,
    ExerciseDraft,
    Grade,
    GradeRequest,
    GroundedAnswer,
    LessonDraft,
    SelfCheckResult,
    Span,
    UnitDraft,
)
from teachback.errors import ModelUnavailable


class IngestAlgorithms(Protocol):
    """The offline algorithms that learn a subject from its sources (owned by ``ingest``)."""

    def extract_concepts(self, documents: list[Document]) -> list[ConceptDraft]: ...

    def link_prerequisites(
        self, concepts: list[ConceptDraft], documents: list[Document]
    ) -> list[EdgeDraft]: ...

    def order_units(
        self,
        concepts: list[ConceptDraft],
        edges: list[EdgeDraft],
        documents: list[Document] | None = None,
    ) -> list[UnitDraft]: ...

    def write_lesson(
        self,
        concept: ConceptDraft,
        documents: list[Document],
        prerequisites: list[str] | None = None,
    ) -> LessonDraft: ...

    def make_exercises(
        self, concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
    ) -> list[ExerciseDraft]: ...

    def self_check(
        self, exercise: ExerciseDraft, documents: list[Document], kept: list[ExerciseDraft]
    ) -> SelfCheckResult: ...

    def generate_checked(
        self, concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
    ) -> tuple[list[ExerciseDraft], list[ExerciseDraft]]: ...


class TutorAlgorithms(Protocol):
    """The offline algorithms that teach from a curriculum (owned by ``tutor``)."""

    def grade(self, request: GradeRequest) -> Grade: ...

    def answer_question(self, question: str, passages: list[Span]) -> GroundedAnswer: ...

    def hint(self, exercise: ExerciseDraft, answer: str = "") -> str: ...

    def explain(self, name: str, passages: list[Span]) -> str: ...


class EmbeddedEngine(Engine):
    """Implements ``teachback.engine.protocol.Engine`` offline with the algorithms it is given.
    Stateless, so thread-safe."""

    name = "embedded"
    checks_own_exercises = True

    def __init__(
        self, ingest: IngestAlgorithms | None = None, tutor: TutorAlgorithms | None = None
    ):
        self._ingest = ingest
        self._tutor = tutor

    @property
    def ingest(self) -> IngestAlgorithms:
        if self._ingest is None:
            raise ModelUnavailable("this embedded engine was built without ingest's algorithms")
        return self._ingest

    @property
    def tutor(self) -> TutorAlgorithms:
        if self._tutor is None:
            raise ModelUnavailable("this embedded engine was built without the tutor's algorithms")
        return self._tutor

    # --- concepts and their graph -------------------------------------------------------
    def extract_concepts(self, documents: list[Document]) -> list[ConceptDraft]:
        return self.ingest.extract_concepts(documents)

    def link_prerequisites(
        self, concepts: list[ConceptDraft], documents: list[Document]
    ) -> list[EdgeDraft]:
        return self.ingest.link_prerequisites(concepts, documents)

    def order_units(
        self,
        concepts: list[ConceptDraft],
        edges: list[EdgeDraft],
        documents: list[Document] | None = None,
    ) -> list[UnitDraft]:
        return self.ingest.order_units(concepts, edges, documents)

    # --- lessons ----------------------------------------------------------------------------
    def write_lesson(
        self,
        concept: ConceptDraft,
        documents: list[Document],
        prerequisites: list[str] | None = None,
    ) -> LessonDraft:
        return self.ingest.write_lesson(concept, documents, prerequisites=prerequisites)

    # --- exercises --------------------------------------------------------------------------
    def make_exercises(
        self, concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
    ) -> list[ExerciseDraft]:
        return self.ingest.make_exercises(concept, concepts, documents)

    def self_check(
        self, exercise: ExerciseDraft, documents: list[Document], kept: list[ExerciseDraft]
    ) -> SelfCheckResult:
        return self.ingest.self_check(exercise, documents, kept)

    def generate_checked(
        self, concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
    ) -> tuple[list[ExerciseDraft], list[ExerciseDraft]]:
        """Make exercises and keep those that survive the self-check: ``(kept, rejected)``."""
        return self.ingest.generate_checked(concept, concepts, documents)

    # --- tutoring ---------------------------------------------------------------------------
    def grade(self, request: GradeRequest) -> Grade:
        return self.tutor.grade(request)

    def answer_question(self, question: str, passages: list[Span]) -> GroundedAnswer:
        return self.tutor.answer_question(question, passages)

    def hint(self, exercise: ExerciseDraft, answer: str = "") -> str:
        return self.tutor.hint(exercise, answer)

    def explain(self, name: str, passages: list[Span]) -> str:
        return self.tutor.explain(name, passages)


# Short names for the OpenAI-compatible engine (module ``teachback.engine.openai_engine``).
_LLM_NAMES = {"openai", "openai_engine", "llm", "local"}


def _configured() -> str | None:
    """``"openai"`` when the LLM configuration asks for it ($TEACHBACK_MODEL or
    ``enabled = true`` in teachback.toml's ``[llm]``), else None."""
    from teachback.engine.llm_config import llm_enabled

    return "openai" if llm_enabled() else None


def get_engine(embedded: EmbeddedEngine, name: str | None = None) -> Engine:
    """The configured engine around ``embedded``: ``name``, else ``$TEACHBACK_ENGINE``, else
    the LLM configuration, else ``"embedded"`` (``embedded`` itself).

    The LLM engine is one per process (its client, circuit breaker and token count); each
    caller gets a view of it that falls back to the ``embedded`` engine it passes. Unknown
    names raise ``ModelUnavailable`` with a one-line message.
    """
    name = (
        (name or os.environ.get("TEACHBACK_ENGINE") or _configured() or "embedded").strip().lower()
    )
    if name == "embedded":
        return embedded
    if name not in _LLM_NAMES:
        raise ModelUnavailable(f"unknown engine {name!r}: the engines are embedded and openai")
    # Imported here: the openai client is heavy and only an LLM run needs it.
    from teachback.engine.openai_engine import get_engine as llm_engine

    return llm_engine(embedded)
