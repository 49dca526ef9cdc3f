"""Ingest's offline algorithms, as the embedded engine runs them (``IngestSteps``).

The engine sits below ingest and cannot import it, so ingest hands these to the engine it
runs with (``EmbeddedEngine(ingest=IngestSteps())``; see ``engine/embedded.py``). Each step
imports its module when it first runs, which keeps the heavy ones (concept extraction,
exercises) off the import path of a command that does not need them.
"""

from __future__ import annotations

from teachback.core.document import Document
from teachback.engine.embedded import EmbeddedEngine, get_engine
from teachback.engine.protocol import (
    ConceptDraft,
    EdgeDraft,
    Engine,
    ExerciseDraft,
    LessonDraft,
    SelfCheckResult,
    UnitDraft,
)


class IngestSteps:
    """Implements ``engine.embedded.IngestAlgorithms`` with ingest's own modules."""

    def extract_concepts(self, documents: list[Document]) -> list[ConceptDraft]:
        from teachback.ingest.concepts import extract_concepts

        return extract_concepts(documents)

    def link_prerequisites(
        self, concepts: list[ConceptDraft], documents: list[Document]
    ) -> list[EdgeDraft]:
        from teachback.ingest.prerequisites import link_prerequisites

        return link_prerequisites(concepts, documents)

    def order_units(
        self,
        concepts: list[ConceptDraft],
        edges: list[EdgeDraft],
        documents: list[Document] | None = None,
    ) -> list[UnitDraft]:
        from teachback.ingest.prerequisites import order_units

        return order_units(concepts, edges, documents)

    def write_lesson(
        self,
        concept: ConceptDraft,
        documents: list[Document],
        prerequisites: list[str] | None = None,
    ) -> LessonDraft:
        from teachback.ingest.lessons import write_lesson

        return write_lesson(concept, documents, prerequisites=prerequisites)

    def make_exercises(
        self, concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
    ) -> list[ExerciseDraft]:
        from teachback.ingest.exercises import make_exercises

        return make_exercises(concept, concepts, documents)

    def self_check(
        self, exercise: ExerciseDraft, documents: list[Document], kept: list[ExerciseDraft]
    ) -> SelfCheckResult:
        from teachback.ingest.exercises import self_check

        return self_check(exercise, documents, kept)

    def generate_checked(
        self, concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
    ) -> tuple[list[ExerciseDraft], list[ExerciseDraft]]:
        from teachback.ingest.exercises import generate_checked

        return generate_checked(concept, concepts, documents)


def ingest_engine(name: str | None = None) -> Engine:
    """The configured engine (``engine.embedded.get_engine``) over ingest's offline steps."""
    return get_engine(EmbeddedEngine(ingest=IngestSteps()), name)
