"""The embedded engine: offline, deterministic, CPU only — the default ``Engine``.

It owns no algorithm itself: each step delegates to the module that does the work, found by
name (``_step``) when the step first runs. By name, because those modules live above the engine
(``ingest``, ``tutor``) and import it: a real import here would point the dependency upward and
close a cycle. It also keeps a heavy module off the import path until its step runs:

| step | module |
| --- | --- |
| extract_concepts | ``teachback.ingest.concepts.extract_concepts`` |
| link_prerequisites, order_units | ``teachback.ingest.prerequisites`` |
| write_lesson | ``teachback.ingest.lessons.write_lesson`` |
| make_exercises, self_check, generate_checked | ``teachback.ingest.exercises`` |
| grade | ``teachback.tutor.grading.grade`` |
| answer_question | ``teachback.tutor.ask.answer_question`` |

A step whose module is not installed raises ``ImportError``; the ingest pipeline skips an
optional stage (exercises) cleanly when that happens.
"""

from __future__ import annotations

import importlib
import os
import threading

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


def _step(module: str, name: str):
    """``module.name``, imported by name: the one place the engine reaches modules it must
    not import (those above it, and ``openai_engine``, which imports this module)."""
    return getattr(importlib.import_module(module), name)


class EmbeddedEngine(Engine):
    """Implements ``teachback.engine.protocol.Engine`` offline. Stateless, so thread-safe."""

    name = "embedded"
    checks_own_exercises = True

    # --- concepts and their graph -------------------------------------------------------
    def extract_concepts(self, documents: list[Document]) -> list[ConceptDraft]:
        return _step("teachback.ingest.concepts", "extract_concepts")(documents)

    def link_prerequisites(
        self, concepts: list[ConceptDraft], documents: list[Document]
    ) -> list[EdgeDraft]:
        return _step("teachback.ingest.prerequisites", "link_prerequisites")(concepts, documents)

    def order_units(
        self,
        concepts: list[ConceptDraft],
        edges: list[EdgeDraft],
        documents: list[Document] | None = None,
    ) -> list[UnitDraft]:
        return _step("teachback.ingest.prerequisites", "order_units")(concepts, edges, documents)

    # --- lessons ----------------------------------------------------------------------------
    def write_lesson(
        self,
        concept: ConceptDraft,
        documents: list[Document],
        prerequisites: list[str] | None = None,
    ) -> LessonDraft:
        return _step("teachback.ingest.lessons", "write_lesson")(
            concept, documents, prerequisites=prerequisites
        )

    # --- exercises --------------------------------------------------------------------------
    def make_exercises(
        self, concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
    ) -> list[ExerciseDraft]:
        return _step("teachback.ingest.exercises", "make_exercises")(concept, concepts, documents)

    def self_check(
        self, exercise: ExerciseDraft, documents: list[Document], kept: list[ExerciseDraft]
    ) -> SelfCheckResult:
        return _step("teachback.ingest.exercises", "self_check")(exercise, documents, kept)

    def generate_checked(
        self, concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
    ) -> tuple[list[ExerciseDraft], list[ExerciseDraft]]:
        """Make exercises and keep those that survive the self-check: ``(kept, rejected)``."""
        return _step("teachback.ingest.exercises", "generate_checked")(concept, concepts, documents)

    # --- tutoring ---------------------------------------------------------------------------
    def grade(self, request: GradeRequest) -> Grade:
        return _step("teachback.tutor.grading", "grade")(request)

    def answer_question(self, question: str, passages: list[Span]) -> GroundedAnswer:
        return _step("teachback.tutor.ask", "answer_question")(question, passages)

    def hint(self, exercise: ExerciseDraft, answer: str = "") -> str:
        return _step("teachback.tutor.hints", "offline_hint")(exercise, answer)

    def explain(self, name: str, passages: list[Span]) -> str:
        return _step("teachback.tutor.hints", "offline_explanation")(name, passages)


_ENGINES: dict[str, Engine] = {}
# Short names for the OpenAI-compatible engine (module ``teachback.engine.openai_engine``).
_ALIASES = {"openai": "openai_engine", "llm": "openai_engine", "local": "openai_engine"}


def _configured() -> str | None:
    """``"openai"`` when the LLM configuration asks for it ($TEACHBACK_MODEL or
    ``enabled = true`` in teachback.toml's ``[llm]``), else None."""
    from teachback.engine.llm_config import llm_enabled

    return "openai" if llm_enabled() else None


_LOCK = threading.Lock()


def get_engine(name: str | None = None) -> Engine:
    """The configured engine: ``name``, else ``$TEACHBACK_ENGINE``, else ``"embedded"``.

    Other engines register by module: ``teachback.engine.<name>`` with a ``get_engine()``
    function, as ``openai_engine`` has. Unknown names raise
    ``ModelUnavailable`` with a one-line message.
    """
    name = (
        (name or os.environ.get("TEACHBACK_ENGINE") or _configured() or "embedded").strip().lower()
    )
    name = _ALIASES.get(name, name)
    with _LOCK:
        if name not in _ENGINES:
            if name == "embedded":
                _ENGINES[name] = EmbeddedEngine()
            else:
                try:
                    _ENGINES[name] = _step(f"teachback.engine.{name}", "get_engine")()
                except (ImportError, AttributeError) as err:
                    raise ModelUnavailable(f"unknown engine {name!r}: {err}") from None
        return _ENGINES[name]
