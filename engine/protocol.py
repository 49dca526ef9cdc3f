"""The contract of every "thinking" step: typed inputs, pydantic outputs.

Two engines implement ``Engine``: the embedded one (``engine/embedded.py``, offline,
deterministic, the default) and an opt-in OpenAI-compatible one (the ``engine/openai_engine/``
package). Both pass the same contract tests. Inputs are plain dataclasses or pydantic models;
outputs are pydantic models so an LLM's structured output can be validated against the very
same schema.

Source text and learner text are *data* in every step: nothing in them is ever followed as an
instruction.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, Protocol, Self

from pydantic import BaseModel, Field

from teachback.core.document import Document
from teachback.core.kinds import NAMES as KIND_NAMES


class Span(BaseModel):
    """A quote from a source: ``source`` is the source's path (ingest) or id (store)."""

    source: str
    start: int
    end: int
    quote: str


class Evidence(Span):
    role: Literal["definition", "mention", "code"] = "mention"


class ConceptDraft(BaseModel):
    """A concept as the extractor proposes it, before it is stored."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    definition: str = ""  # one sentence, taken from the sources
    importance: float = 0.5  # 0..1
    kind: Literal["term", "code"] = "term"
    evidence: list[Evidence] = Field(default_factory=list)
    # Where it is first introduced, for teaching order: (index of document in the batch, offset).
    first_seen: tuple[int, int] = (0, 0)


class EdgeDraft(BaseModel):
    prerequisite: str  # concept name
    concept: str  # concept name
    kind: Literal["prerequisite", "related"] = "prerequisite"
    weight: float = 0.5
    reason: str = ""
    # "removed": proposed but dropped to keep the graph a DAG; ``reason`` says which cycle.
    status: Literal["active", "removed"] = "active"


class UnitDraft(BaseModel):
    """A group of concepts taught together, in teaching order."""

    title: str
    concepts: list[str]  # concept names, in order


class LessonDraft(BaseModel):
    text: str  # Markdown; every claim traceable to a citation
    citations: list[Span] = Field(default_factory=list)


# The names declared in core/kinds.py (one definition per kind).
ExerciseKind = Literal[KIND_NAMES]


class SelfCheckResult(BaseModel):
    passed: bool
    # Why it passed or the rules it broke: "unanswerable", "ambiguous", "answer_revealed",
    # "duplicate", ...
    reasons: list[str] = Field(default_factory=list)
    answered: str = ""  # what the checker answered from the sources alone
    supporting: list[Span] = Field(default_factory=list)


class ExerciseDraft(BaseModel):
    concept: str  # concept name
    kind: ExerciseKind
    prompt: str
    choices: list[str] = Field(default_factory=list)
    answer: str | list[str] | bool  # the key: option text, term, bool, order, pairs as "a => b"
    explanation: str = ""
    difficulty: float = 0.5
    citations: list[Span] = Field(default_factory=list)
    # Kind-specific: {"rubric": [...], "accepted": [...], "corrected": "...", "pairs": [...]}
    data: dict = Field(default_factory=dict)
    self_check: SelfCheckResult | None = None


Verdict = Literal["correct", "partly", "incorrect"]

# Verdict bands on the 0-1 score, calibrated on cross-validated scores of the dev set's human-graded
# answers: the pair that keeps learners the humans rated >= 4.5 told "incorrect" under 5 % and
# answers they rated <= 2.5 told "correct" under 10 %, accepting the most paraphrases
# (docs/bench-grading.md).
CORRECT_AT, PARTLY_AT = 0.73, 0.40


def verdict_for(score: float, correct: float = CORRECT_AT, partly: float = PARTLY_AT) -> Verdict:
    if score >= correct:
        return "correct"
    if score >= partly:
        return "partly"
    return "incorrect"


class GradeRequest(BaseModel):
    question: str
    reference: str  # the reference answer / key, as text
    answer: str  # the learner's answer, verbatim (data, never instructions)
    kind: str = "short_answer"
    rubric: list[str] = Field(default_factory=list)  # key points
    citations: list[Span] = Field(default_factory=list)  # the passages to point back to
    exercise: ExerciseDraft | None = None  # the full exercise when there is one


class Grade(BaseModel):
    score: float = Field(ge=0.0, le=1.0)
    verdict: Verdict
    feedback: str  # what was right, what was missing, what to reread
    covered: list[str] = Field(default_factory=list)  # rubric points the answer covers
    missing: list[str] = Field(default_factory=list)
    citations: list[Span] = Field(default_factory=list)


class GroundedAnswer(BaseModel):
    covered: bool  # False: "not covered here"
    text: str
    citations: list[Span] = Field(default_factory=list)


class Engine(Protocol):
    """Every thinking step. Implementations must be safe to call from several threads.

    The steps down to ``explain`` are required. The ones after them are optional: their bodies
    here are the defaults an engine inherits by subclassing ``Engine`` (both engines do), so a
    caller typed by ``Engine`` calls them without asking whether the engine has them.
    """

    name: str

    def extract_concepts(self, documents: list[Document]) -> list[ConceptDraft]: ...

    def link_prerequisites(
        self, concepts: list[ConceptDraft], documents: list[Document]
    ) -> list[EdgeDraft]: ...

    def write_lesson(
        self,
        concept: ConceptDraft,
        documents: list[Document],
        prerequisites: list[str] | None = None,
    ) -> LessonDraft:
        """A lesson for ``concept``; ``prerequisites`` (concept names) are what it may assume."""
        ...

    def make_exercises(
        self, concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
    ) -> list[ExerciseDraft]: ...

    def self_check(
        self, exercise: ExerciseDraft, documents: list[Document], kept: list[ExerciseDraft]
    ) -> SelfCheckResult: ...

    def grade(self, request: GradeRequest) -> Grade: ...

    def answer_question(self, question: str, passages: list[Span]) -> GroundedAnswer: ...

    def hint(self, exercise: ExerciseDraft, answer: str = "") -> str:
        """A Socratic hint for ``exercise`` that never states its key."""
        ...

    def explain(self, name: str, passages: list[Span]) -> str:
        """The concept ``name`` explained again, in other words, from ``passages`` only."""
        ...

    # --- optional steps, with their defaults ----------------------------------------------

    # Whether ``generate_checked`` self-checks what it makes. When False its exercises come
    # back unchecked and the ingest pipeline self-checks each one in its verify stage, where
    # duplicates are judged across the whole run.
    checks_own_exercises: bool = False

    def generate_checked(
        self, concept: ConceptDraft, concepts: list[ConceptDraft], documents: list[Document]
    ) -> tuple[list[ExerciseDraft], list[ExerciseDraft]]:
        """``(kept, rejected)`` exercises for ``concept``. By default all of ``make_exercises``
        are kept, unchecked (see ``checks_own_exercises``)."""
        return self.make_exercises(concept, concepts, documents), []

    def order_units(
        self,
        concepts: list[ConceptDraft],
        edges: list[EdgeDraft],
        documents: list[Document] | None = None,
    ) -> list[UnitDraft]:
        """The concepts grouped into units in teaching order, titled from ``documents`` (the
        sources they were found in) when given. None by default: the caller then groups them
        itself (the pipeline makes one unit per first source)."""
        return []

    def for_ingest(self, store: str | None = None) -> Self:
        """The engine to run one ingest with, into the store kept in the file ``store`` (None:
        in memory). An engine that counts or caches per run returns a view of its own; by
        default the engine itself."""
        return self

    def writes_with_model(self, step: str) -> bool:
        """Whether ``step`` (a method's name) is written by a language model, so a page can
        stream it as it is written. False by default: the step is computed offline."""
        return False

    # A page streams a step that ``writes_with_model``: ``stream_*`` yields the text as it is
    # written, ``finish_*`` checks the whole and returns what to show in its place. By default
    # the offline text comes in one piece and stands as it is.
    def stream_answer(self, question: str, passages: list[Span]) -> Iterator[str]:
        yield self.answer_question(question, passages).text

    def finish_stream(self, question: str, passages: list[Span], text: str) -> GroundedAnswer:
        return self.answer_question(question, passages)

    def stream_hint(self, exercise: ExerciseDraft, answer: str = "") -> Iterator[str]:
        yield self.hint(exercise, answer)

    def finish_hint(self, exercise: ExerciseDraft, answer: str, text: str) -> str:
        return self.hint(exercise, answer)

    def stream_explanation(self, name: str, passages: list[Span]) -> Iterator[str]:
        yield self.explain(name, passages)

    def finish_explanation(self, name: str, passages: list[Span], text: str) -> str:
        return self.explain(name, passages)

    def usage_report(self) -> dict | None:
        """What the last run used (tokens, fallbacks), for its summary; None when the engine
        measures nothing."""
        return None
